// Main-side entry for every renderer call, independent of Electron so the
// test bridge runs exactly the same checks: known channel, trusted sender,
// valid arguments, then the handler. Errors reach the renderer as one
// sentence; stack traces and paths stay in main.
import { invokes, type Handlers, type InvokeName } from '../../shared/ipc/schema.js';
import { CheckError } from '../../shared/check.js';

export interface SenderInfo {
  /** webContents id of the sender. */
  readonly id: number;
  /** URL of the frame that sent the message. */
  readonly frameUrl: string;
  readonly isMainFrame: boolean;
}

export interface TrustPolicy {
  /** webContents ids of our own windows. */
  readonly ids: ReadonlySet<number>;
  /** The URL prefix our renderer is loaded from (file:///…/renderer/ or http://127.0.0.1:port/). */
  readonly appUrlPrefix: string;
}

/** Only the main frame of one of our windows, showing our own page, may call. */
export function isTrustedSender(sender: SenderInfo, policy: TrustPolicy): boolean {
  if (!policy.ids.has(sender.id) || !sender.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(sender.frameUrl);
  } catch {
    return false;
  }
  // Compare the normalised URL so "/renderer/../elsewhere" cannot pass; the
  // prefix ends in "/" so "http://127.0.0.1:80" cannot match port 8080.
  return policy.appUrlPrefix.endsWith('/') && url.href.startsWith(policy.appUrlPrefix);
}

export class IpcRejected extends Error {
  override name = 'IpcRejected';
}

export type Dispatch = (channel: string, rawArgs: unknown, sender: SenderInfo) => Promise<unknown>;

export function isInvokeName(channel: string): channel is InvokeName {
  return Object.prototype.hasOwnProperty.call(invokes, channel);
}

export function createDispatcher(handlers: Handlers, policy: TrustPolicy, onReject: (why: string) => void = () => {}): Dispatch {
  return async (channel, rawArgs, sender) => {
    if (!isTrustedSender(sender, policy)) {
      onReject(`IPC ${channel} from untrusted sender ${sender.frameUrl} (id ${sender.id})`);
      throw new IpcRejected('This window is not allowed to talk to WireDesk.');
    }
    if (!isInvokeName(channel)) {
      onReject(`unknown IPC channel ${JSON.stringify(channel).slice(0, 80)}`);
      throw new IpcRejected('Unknown request.');
    }
    let checked: unknown[];
    try {
      checked = invokes[channel].args(rawArgs, channel, true);
    } catch (e) {
      if (e instanceof CheckError) {
        onReject(`invalid arguments: ${e.message}`);
        throw new IpcRejected(`Invalid request: ${e.message}`);
      }
      throw e;
    }
    const handler = handlers[channel] as (...a: unknown[]) => unknown;
    return handler(...checked);
  };
}
