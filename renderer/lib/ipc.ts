// The renderer's typed client: window.ipc is put there by the preload (in
// Electron) or by the test bridge (in a browser). Its type comes from the schema.
import type { IpcApi } from '../../shared/ipc/schema.js';

declare global {
  interface Window {
    readonly ipc: IpcApi;
  }
}

export const ipc: IpcApi = {
  invoke: (channel, ...args) => window.ipc.invoke(channel, ...args),
  on: (event, listener) => window.ipc.on(event, listener),
};

/** An error from main as the sentence to show. */
export function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // Electron prefixes rejected invokes with "Error invoking remote method '…': Error: ".
  return m.replace(/^Error invoking remote method '[^']+': (?:\w*Error: )?/, '');
}
