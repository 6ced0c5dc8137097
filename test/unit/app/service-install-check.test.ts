// "Install helper service" is refused unless root alone can change the files
// the unit would run as root; the unit and the sudo-prompt command are quoted
// so that no path is split or expanded on the way.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  NOT_ROOT_OWNED_MESSAGE, checkServiceInstall, installScript, rootOnlyPathProblems, serviceUnitText, shellQuote, sudoPromptCommand, systemdQuote,
} from '../../../electron/app-core/helper/service-install-check.js';

const isRoot = process.geteuid?.() === 0;
const rootOnly = { skip: !isRoot && 'needs root (files owned by root and by uid 65534)' };

describe('service install check', () => {
  let base: string;
  // base/opt/WireDesk/{wiredesk, resources/app.asar.unpacked/helper.js}: a .deb-like tree, root's, 0755.
  let exe: string;
  let entry: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'wd-svc-check-'));
    chmodSync(base, 0o755);
    const res = join(base, 'opt/WireDesk/resources/app.asar.unpacked');
    mkdirSync(res, { recursive: true, mode: 0o755 });
    exe = join(base, 'opt/WireDesk/wiredesk');
    entry = join(res, 'helper.js');
    writeFileSync(exe, '', { mode: 0o755 });
    writeFileSync(entry, '', { mode: 0o644 });
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('accepts root-owned files in root-owned directories (below a root-owned sticky /tmp)', rootOnly, () => {
    assert.deepEqual(rootOnlyPathProblems(exe), []);
    assert.deepEqual(checkServiceInstall([exe, entry]), { ok: true });
  });

  it('refuses a file owned by another user', rootOnly, () => {
    const f = join(base, 'opt/WireDesk/user-file');
    writeFileSync(f, '', { mode: 0o755 });
    chownSync(f, 65534, 65534);
    const r = checkServiceInstall([exe, f]);
    assert.equal(r.ok, false);
    assert.ok(!r.ok && r.message.startsWith(NOT_ROOT_OWNED_MESSAGE));
    assert.ok(!r.ok && r.message.includes(`${f} is owned by uid 65534, not root`));
  });

  it('refuses a file under a directory owned by another user (a dev checkout, an AppImage mount)', rootOnly, () => {
    const home = join(base, 'home/user/wiredesk');
    mkdirSync(home, { recursive: true, mode: 0o755 });
    const f = join(home, 'helper.js');
    writeFileSync(f, '', { mode: 0o644 });
    chownSync(join(base, 'home/user'), 65534, 65534);
    const problems = rootOnlyPathProblems(f);
    assert.deepEqual(problems, [`${join(base, 'home/user')} is owned by uid 65534, not root`]);
  });

  it('refuses group- or world-writable files and directories without the sticky bit', rootOnly, () => {
    const dir = join(base, 'groupdir');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o775);
    const f = join(dir, 'x');
    writeFileSync(f, '', { mode: 0o644 });
    assert.deepEqual(rootOnlyPathProblems(f), [`${dir} is writable by its group (mode 775)`]);
    const g = join(base, 'opt/WireDesk/world');
    writeFileSync(g, '');
    chmodSync(g, 0o757);
    assert.deepEqual(rootOnlyPathProblems(g), [`${g} is writable by everyone (mode 757)`]);
    // Sticky helps only directories, and only root's.
    const sticky = join(base, 'sticky');
    mkdirSync(sticky);
    chmodSync(sticky, 0o1777);
    const h = join(sticky, 'h');
    writeFileSync(h, '', { mode: 0o644 });
    assert.deepEqual(rootOnlyPathProblems(h), []);
    chownSync(sticky, 65534, 65534);
    assert.deepEqual(rootOnlyPathProblems(h), [`${sticky} is owned by uid 65534, not root`]);
  });

  it('follows symlinks and checks where they lead', rootOnly, () => {
    const userDir = join(base, 'userdir');
    mkdirSync(userDir, { mode: 0o755 });
    const target = join(userDir, 'real.js');
    writeFileSync(target, '', { mode: 0o644 });
    chownSync(userDir, 65534, 65534);
    const link = join(base, 'opt/WireDesk/link.js');
    symlinkSync(target, link);
    assert.deepEqual(rootOnlyPathProblems(link), [`${userDir} is owned by uid 65534, not root`]);
  });

  it('refuses paths that are relative or missing', () => {
    assert.deepEqual(rootOnlyPathProblems('dist/helper.js'), ['dist/helper.js is not an absolute path']);
    assert.match(rootOnlyPathProblems(join(tmpdir(), 'wd-no-such-file', 'x'))[0] ?? '', /cannot be resolved/);
  });
});

describe('service unit and sudo-prompt command', () => {
  const template = readFileSync(new URL('../../../../build/systemd/wiredesk-helper@.service', import.meta.url), 'utf8');

  it('points the shipped template at this install, keeping %i as the owner uid', () => {
    const unit = serviceUnitText(template, { execPath: '/opt/Wire Desk/wiredesk', helperEntry: '/opt/Wire Desk/resources/app.asar.unpacked/h 100%$x.js' });
    assert.match(unit, /^ExecStart="\/opt\/Wire Desk\/wiredesk" "\/opt\/Wire Desk\/resources\/app\.asar\.unpacked\/h 100%%\$\$x\.js" --owner-uid %i$/m);
    assert.equal(unit.match(/^ExecStart=/gm)?.length, 1);
    assert.match(unit, /^\[Install\]$/m, 'the rest of the template is kept');
    assert.match(serviceUnitText(template, { execPath: '/a', helperEntry: '/b', socketPath: '/run/x y.sock' }), /--owner-uid %i --socket "\/run\/x y\.sock"$/m);
    assert.equal(systemdQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.throws(() => systemdQuote('a\nExecStartPre=/bin/evil'));
  });

  it('installs the template and enables the instance for the uid', () => {
    const script = installScript('UNIT', 1000);
    assert.match(script, /> '\/etc\/systemd\/system\/wiredesk-helper@\.service'$/m);
    assert.match(script, /^systemctl enable --now wiredesk-helper@1000\.service$/m);
    assert.throws(() => installScript('UNIT', -1));
  });

  it('passes any text through sudo-prompt\'s bash -c "..." unexpanded', () => {
    const tricky = `it's "$HOME" \`id\` \\n $(echo no) 100% ; & | < >`;
    const script = `printf '%s' ${shellQuote(tricky)}\n`;
    const command = sudoPromptCommand(script);
    assert.match(command, /^echo [A-Za-z0-9+/=]+ \| base64 -d \| \/bin\/sh$/);
    // sudo-prompt (Linux): /bin/bash -c "echo SUDOPROMPT; COMMAND" with " escaped, run by a shell.
    const outer = `/bin/bash -c "echo SUDOPROMPT; ${command.replace(/"/g, '\\"')}"`;
    assert.equal(execFileSync('/bin/sh', ['-c', outer], { encoding: 'utf8' }), `SUDOPROMPT\n${tricky}`);
  });
});
