// `wiredesk exec` arguments: the rule, the command after `--`, and one
// sentence for each way to get them wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exitStatusOf, parseExecArgs } from '../../../tunnel-helper/src/cli/exec-args.js';
import { wiredesk } from '../../support/cli.js';

describe('wiredesk exec arguments', () => {
  it('takes --outside or --tunnel NAME, then the command after --', () => {
    assert.deepEqual(parseExecArgs(['--outside', '--', 'firefox', '--private-window']),
      { target: { kind: 'outside' }, argv: ['firefox', '--private-window'] });
    assert.deepEqual(parseExecArgs(['--tunnel', 'wg0', '--', 'curl', '--', 'x']),
      { target: { kind: 'tunnel', ifname: 'wg0' }, argv: ['curl', '--', 'x'] }, 'only the first -- separates');
    assert.deepEqual(parseExecArgs(['--tunnel=office.1', '--', 'ssh']), { target: { kind: 'tunnel', ifname: 'office.1' }, argv: ['ssh'] });
  });

  it('says what is wrong in one line', () => {
    const cases: [string[], RegExp][] = [
      [['--outside', 'firefox'], /put `--` before the command/],
      [[], /put `--`/],
      [['--outside', '--'], /missing the command/],
      [['--outside', '--', ''], /missing the command/],
      [['--', 'ls'], /--outside, or --tunnel NAME/],
      [['--tunnel', '--', 'ls'], /--tunnel needs the name/],
      [['--tunnel=', '--', 'ls'], /--tunnel needs the name/],
      [['--tunnel', 'a/b', '--', 'ls'], /not a tunnel name/],
      [['--tunnel', 'averyveryverylongname', '--', 'ls'], /not a tunnel name/],
      [['--outside', '--outside', '--', 'ls'], /not both/],
      [['--outside', '--tunnel', 'wg0', '--', 'ls'], /not both/],
      [['-x', '--', 'ls'], /unknown option "-x"/],
    ];
    for (const [args, message] of cases) {
      const r = parseExecArgs(args);
      assert.equal(typeof r, 'string', args.join(' '));
      assert.match(r as string, message, args.join(' '));
      assert.doesNotMatch(r as string, /\n/);
    }
  });

  it('exits as the command did: its code, or 128 + the signal', () => {
    const signals = { SIGTERM: 15, SIGKILL: 9 };
    assert.equal(exitStatusOf(0, null, signals), 0);
    assert.equal(exitStatusOf(42, null, signals), 42);
    assert.equal(exitStatusOf(null, 'SIGTERM', signals), 143);
    assert.equal(exitStatusOf(null, 'SIGKILL', signals), 137);
  });

  it('the command line refuses bad usage with exit 2 before anything else, root or not', () => {
    for (const args of [['exec'], ['exec', '--outside', 'ls'], ['exec', '--', 'ls'], ['exec', '--tunnel', 'x y', '--', 'ls']]) {
      const r = wiredesk(args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^wiredesk exec: /);
      assert.match(r.stderr, /Usage: sudo wiredesk exec --outside -- CMD/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});
