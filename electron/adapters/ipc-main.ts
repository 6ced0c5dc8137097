// Electron's ipcMain wired to the dispatcher: every invoke channel of the
// schema gets one handler, which passes the sender's identity along so the
// dispatcher can reject other windows, subframes and foreign pages.
import { ipcMain, type BrowserWindow } from 'electron';
import type { Dispatch } from '../ipc/dispatch.js';
import { eventChannel, invokeNames, type EmitEvent } from '../../shared/ipc/schema.js';

export function registerIpc(dispatch: Dispatch): void {
  for (const channel of invokeNames) {
    ipcMain.handle(channel, (e, ...args: unknown[]) =>
      dispatch(channel, args, {
        id: e.sender.id,
        frameUrl: e.senderFrame?.url ?? '',
        isMainFrame: e.senderFrame !== null && e.senderFrame === e.sender.mainFrame,
      }));
  }
}

export function windowEmitter(getWindow: () => BrowserWindow | null): EmitEvent {
  return (event, payload) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(eventChannel(event), payload);
  };
}
