// The one adapter between the real control client
// (control-client.ts) and HelperConnection: it connects,
// and reports the client's reconnects as link changes. Calls and events pass
// through as the protocol types them.
import { connectHelper } from './control-client.js';
import type { HelperConnection } from './helper-connection.js';

export async function connectControl(socketPath: string, expectedOwnerUid?: number): Promise<HelperConnection> {
  const client = await connectHelper(socketPath, {
    clientName: 'wiredesk-app',
    ...(expectedOwnerUid !== undefined ? { expectedOwnerUid } : {}),
  });
  return {
    hello: client.helloResult!, // set by a successful connect
    call: (method, params) => client.call(method, params),
    on: (event, listener) => client.on(event, listener),
    onLink: (listener) => client.onConnection((state, detail) => listener(state === 'connected' ? 'connected' : 'reconnecting', detail)),
    close: () => client.close(),
  };
}
