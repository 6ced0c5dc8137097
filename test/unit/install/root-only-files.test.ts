// Root runs only files that root alone can change: the check the helper makes
// of its own files before it starts. The install script is quoted so that no
// path is split or expanded on its way through sudo-prompt.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootOnlyPathProblems, rootOnlyTreeProblems, shellQuote } from '../../../tunnel-helper/src/install/root-only-files.js';
import { installScript, launcherScript, sudoPromptCommand, uninstallScript } from '../../../tunnel-helper/src/install/install-script.js';
import { helperLayout } from '../../../tunnel-helper/src/install/layout.js';

const isRoot = process.geteuid?.() === 0;
const rootOnly = { skip: !isRoot && 'needs root (files owned by root and by uid 65534)' };

describe('root-only files', () => {
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
    assert.deepEqual(rootOnlyTreeProblems(join(base, 'opt/WireDesk')), []);
  });

  it('refuses a file owned by another user', rootOnly, () => {
    const f = join(base, 'opt/WireDesk/user-file');
    writeFileSync(f, '', { mode: 0o755 });
    chownSync(f, 65534, 65534);
    assert.deepEqual(rootOnlyPathProblems(f), [`${f} is owned by uid 65534, not root`]);
    assert.deepEqual(rootOnlyTreeProblems(join(base, 'opt/WireDesk')), [`${f} is owned by uid 65534, not root`], 'found anywhere in the tree');
    chownSync(f, 0, 0);
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

describe('install script', () => {
  const src = { appRoot: "/home/u/Wire Desk's/app", runtime: '/home/u/Wire Desk\'s/wiredesk' };

  it('copies from the app, quoted, and starts the installed launcher for the uid', () => {
    const script = installScript(src, { startForUid: 1000 });
    assert.match(script, /^src_app='\/home\/u\/Wire Desk'\\''s\/app'$/m);
    assert.match(script, /^exec '\/opt\/wiredesk-helper\/bin\/wiredesk-helper' --owner-uid 1000 --start$/m);
    assert.doesNotMatch(installScript(src), /--start/, 'the .deb installs without starting');
    assert.throws(() => installScript(src, { startForUid: -1 }));
  });

  it('runs the helper on the copied runtime, with the environment set on root\'s side', () => {
    const launcher = launcherScript('wiredesk');
    assert.match(launcher, /^exec \/usr\/bin\/env -i ELECTRON_RUN_AS_NODE=1 .* '\/opt\/wiredesk-helper\/runtime\/wiredesk' '\/opt\/wiredesk-helper\/app\/tunnel-helper\/bin\/wiredesk-helper' "\$@"$/m);
    assert.match(uninstallScript(), new RegExp(`^rm -rf '${helperLayout().prefix}'$`, 'm'));
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
