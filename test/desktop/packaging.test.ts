// The packaged layout (`electron-builder --linux dir`, with the Electron
// stand-in as electronDist) holds every file main.ts opens, at the same path
// as the checkout; and the .deb's maintainer scripts install the helper
// exactly as the app's first authorization does, and remove it all again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { appPaths } from '../../electron/app-paths.js';
import { installScript } from '../../tunnel-helper/src/install/install-script.js';
import { appVersion } from '../../tunnel-helper/src/install/layout.js';
import { rootOnlyTreeProblems } from '../../tunnel-helper/src/install/root-only-files.js';
import { isRoot, run } from '../support/netns.js';
import { repoRoot } from '../support/cli.js';
import { buildPackagedApp, type PackagedApp } from './support/packaged-app.js';
import { layout, systemFootprint, treeList } from './support/installed-helper.js';

const DEB_DIR = '/opt/WireDesk';
const skip = !isRoot() ? 'needs root' : existsSync(layout.prefix) || existsSync(DEB_DIR) ? 'WireDesk is already installed on this machine' : false;

describe('the packaged layout and the .deb maintainer scripts', { skip }, () => {
  let app: PackagedApp;
  let footprintBefore: string[];
  before(() => {
    footprintBefore = systemFootprint();
    app = buildPackagedApp(0);
  });
  after(() => {
    if (existsSync(layout.uninstall)) spawnSync(layout.uninstall, { stdio: 'ignore' });
    rmSync(DEB_DIR, { recursive: true, force: true });
  });

  it('has every path main.ts computes, in the checkout and in the package alike', () => {
    for (const root of [repoRoot.replace(/\/$/, ''), app.appRoot]) {
      const paths = appPaths(root);
      for (const p of [paths.preload, paths.indexHtml, paths.assets, paths.icon, paths.qrReaderWasm, paths.helperEntry, ...paths.helperTree, ...paths.systemFiles]) {
        assert.ok(existsSync(p), `${p} exists`);
      }
    }
    assert.deepEqual(treeList(appPaths(app.appRoot).assets), treeList(appPaths(repoRoot).assets), 'every tray and app icon is packaged');
  });

  it('configures no target but Linux: the engine and the network setup exist only there', () => {
    const config = readFileSync(join(repoRoot, 'build/electron-builder.yml'), 'utf8');
    const platforms = [...config.matchAll(/^(linux|mac|win|nsis|dmg|pkg|mas|appx|msi|portable|squirrelWindows):/gm)].map((m) => m[1]);
    assert.deepEqual(platforms, ['linux']);
  });

  it('installs from the .deb\'s postinst exactly as the app does, and removes it all on remove', () => {
    // The app's authorization, from the user's copy of the package.
    run('/bin/sh', ['-c', installScript({ appRoot: app.appRoot, runtime: app.exe })]);
    const fromApp = treeList(layout.prefix);
    assert.equal(spawnSync(layout.uninstall).status, 0);
    assert.deepEqual(systemFootprint(), footprintBefore);
    // dpkg unpacks the package under /opt/WireDesk, root's, then runs postinst.
    run('cp', ['-a', app.dir, DEB_DIR]);
    run('chown', ['-R', '0:0', DEB_DIR]);
    const postinst = spawnSync('/bin/sh', [join(repoRoot, 'build/linux/after-install.sh'), 'configure'], { encoding: 'utf8' });
    assert.equal(postinst.status, 0, postinst.stderr);
    assert.deepEqual(treeList(layout.prefix), fromApp);
    assert.deepEqual(rootOnlyTreeProblems(layout.prefix), []);
    const version = spawnSync(layout.launcher, ['--version'], { encoding: 'utf8' });
    assert.equal(version.stdout, `wiredesk-helper ${appVersion(app.appRoot)}\n`, version.stderr);
    const postrm = spawnSync('/bin/sh', [join(repoRoot, 'build/linux/after-remove.sh'), 'remove'], { encoding: 'utf8' });
    assert.equal(postrm.status, 0, postrm.stderr);
    assert.deepEqual(systemFootprint(), footprintBefore);
  });
});
