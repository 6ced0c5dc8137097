// `wiredesk up / down / show` argument handling: one clear line and exit 2
// for bad usage, before anything is touched (no root needed to check this).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { wiredesk } from '../../../support/cli.js';
import { resolveConfigArg } from '../../../../tunnel-helper/src/cli/up-command.js';

describe('wiredesk up/down/show arguments', () => {
  it('names the interface after the file, or takes a bare name as /etc/wireguard/NAME.conf', () => {
    assert.deepEqual(resolveConfigArg('./office.conf'), { path: './office.conf', ifname: 'office' });
    assert.deepEqual(resolveConfigArg('/etc/wireguard/wg0.conf'), { path: '/etc/wireguard/wg0.conf', ifname: 'wg0' });
    assert.deepEqual(resolveConfigArg('wg0'), { path: '/etc/wireguard/wg0.conf', ifname: 'wg0' });
    assert.throws(() => resolveConfigArg('./my office.conf'), /must be named after the interface, followed by \.conf/);
    assert.throws(() => resolveConfigArg('./a-very-long-interface-name.conf'), /must be named after the interface/);
  });

  it('exit 2 with a usage line for bad arguments', () => {
    for (const args of [['up'], ['up', './notes.txt'], ['up', 'wg0.conf', '--kill-switch=maybe'], ['up', 'wg0.conf', '--force'],
      ['down'], ['down', 'a.conf', 'b.conf'], ['show', 'a', 'b']]) {
      const r = wiredesk(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /Usage: wiredesk (up|down|show)/, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.match(wiredesk(['up', 'wg0.conf', '--kill-switch=maybe']).stderr, /^wiredesk up: --kill-switch must be off, on or allow-lan, not "maybe"$/m);
    assert.match(wiredesk(['up', 'wg0.conf', '--exclude-lan=yes']).stderr, /^wiredesk up: unknown option --exclude-lan=yes\nUsage: wiredesk up CONF .*\[--exclude-lan\] \[--split-dns=DOMAIN,...\]$/m);
  });

  it('says it needs root, with exit 1, when run by another user', { skip: process.getuid?.() === 0 ? 'running as root' : false }, () => {
    const r = wiredesk(['up', 'wg0.conf']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'wiredesk up must be run as root; try: sudo wiredesk up wg0.conf\n');
  });

  it('reports a missing file in one line (exit 2)', { skip: process.getuid?.() !== 0 ? 'the root check comes first' : false }, () => {
    const r = wiredesk(['up', '/nonexistent/wdmissing0.conf']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, 'wiredesk up: /nonexistent/wdmissing0.conf: no such file.\n');
  });
});
