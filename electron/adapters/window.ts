// The one app window: sandboxed renderer, no Node, no navigation away from
// our page, no new windows. Closing it hides it; the app lives in the tray.
import { BrowserWindow, nativeTheme, shell } from 'electron';
import { pathToFileURL } from 'node:url';
import { WINDOW_MIN } from '../../shared/window-size.js';

export interface WindowOptions {
  readonly preload: string;
  readonly indexHtml: string;
  readonly icon: string;
  readonly show: boolean;
  readonly isQuitting: () => boolean;
}

export function createMainWindow(o: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1120,
    height: 740,
    minWidth: WINDOW_MIN.width,
    minHeight: WINDOW_MIN.height,
    show: false,
    title: 'WireDesk',
    icon: o.icon,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#15171c' : '#f6f7f9',
    autoHideMenuBar: true,
    webPreferences: {
      preload: o.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  const appUrl = pathToFileURL(o.indexHtml).href;
  win.webContents.on('will-navigate', (e, url) => {
    if (url !== appUrl) e.preventDefault();
  });
  win.webContents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.on('close', (e) => {
    if (!o.isQuitting()) {
      e.preventDefault();
      win.hide();
    }
  });
  win.once('ready-to-show', () => {
    if (o.show) win.show();
  });
  void win.loadURL(appUrl);
  return win;
}
