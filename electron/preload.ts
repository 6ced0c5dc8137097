// The renderer's only door to main: window.ipc, typed by the schema. Sandboxed
// preloads cannot import local files, so esbuild bundles the channel list in.
import { contextBridge, ipcRenderer } from 'electron';
import { eventChannel, invokeNames, type IpcApi } from '../shared/ipc/schema.js';

const api: IpcApi = {
  invoke: (channel, ...args) => (invokeNames.includes(channel) ? ipcRenderer.invoke(channel, ...args) : Promise.reject(new Error('Unknown request.'))),
  on(event, listener) {
    const handler = (_e: Electron.IpcRendererEvent, payload: Parameters<typeof listener>[0]) => listener(payload);
    ipcRenderer.on(eventChannel(event), handler);
    return () => void ipcRenderer.removeListener(eventChannel(event), handler);
  },
};
contextBridge.exposeInMainWorld('ipc', api);
