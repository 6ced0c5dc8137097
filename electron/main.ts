// Composition root of the Electron main process: build app-core with the
// Electron adapters, one window, the tray, and the IPC bridge. All logic
// lives in app-core/ (plain Node, tested without Electron).
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAppCore } from './app-core/app-core.js';
import { createDispatcher } from './ipc/dispatch.js';
import { registerIpc, windowEmitter } from './adapters/ipc-main.js';
import { desktopPorts } from './adapters/desktop.js';
import { createHelperLauncher } from './app-core/helper/helper-launcher.js';
import { appPaths } from './app-paths.js';
import { electronSecretBox } from './adapters/safe-storage.js';
import { createTray } from './adapters/tray.js';
import { createMainWindow } from './adapters/window.js';

const root = app.getAppPath();
const paths = appPaths(root);

// Tests (and portable installs) may keep profiles elsewhere.
if (process.env.WIREDESK_USER_DATA) app.setPath('userData', process.env.WIREDESK_USER_DATA);
if (!app.requestSingleInstanceLock()) app.quit();

let win: BrowserWindow | null = null;
let quitting = false;
const getWindow = () => win;
const showWindow = () => {
  win?.show();
  win?.focus();
};

app.on('second-instance', showWindow);
app.on('before-quit', () => {
  quitting = true;
});
// Closing the window keeps WireDesk in the tray.
app.on('window-all-closed', () => undefined);

void app.whenReady().then(() => {
  const core = createAppCore({
    userDataDir: app.getPath('userData'),
    appInfo: { version: app.getVersion(), platform: process.platform, systemLocale: app.getLocale() },
    secretBox: electronSecretBox,
    launcher: createHelperLauncher({ appRoot: root, runtime: process.execPath, uid: process.getuid?.() ?? 0 }),
    ...desktopPorts(getWindow, paths.icon),
    emit: windowEmitter(getWindow),
    showWindow,
    quit: () => app.quit(),
  });
  const hidden = process.argv.includes('--hidden') || core.settings.get().startHidden;
  win = createMainWindow({ preload: paths.preload, indexHtml: paths.indexHtml, icon: paths.icon, show: !hidden, isQuitting: () => quitting });
  registerIpc(createDispatcher(
    core.handlers,
    { ids: new Set([win.webContents.id]), appUrlPrefix: pathToFileURL(join(root, 'renderer/dist/')).href },
    (why) => console.warn(`wiredesk: rejected ${why}`),
  ));
  createTray(core, paths.assets);
  // A helper already running (installed service) needs no password: attach now.
  void core.helper.attachIfRunning();
});
