// The app's connection to the privileged helper, in the control protocol's
// own terms (shared/control/protocol.ts): every call and event is
// typed from its tables. helper/control-adapter.ts connects the real client;
// tests connect to the protocol's handlers instead (test/unit/app/fakes.ts).
import type { EventData, EventName, MethodName, Params, Result } from '../../../shared/control/protocol.js';

export type HelperLink = 'connected' | 'reconnecting' | 'closed';

export interface HelperConnection {
  /** The helper's answer to this connection's hello (its version, above all). */
  readonly hello: Result<'hello'>;
  /** `up` takes the config as text, never a path: the helper must not read files the user controls. */
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (data: EventData<E>) => void): () => void;
  /** Link changes: the client reconnects with backoff and reports 'closed' when it gives up. */
  onLink(listener: (link: HelperLink, reason?: string) => void): () => void;
  close(): void;
}

/** The helper in its root-owned place, compared with this app. */
export type HelperInstall =
  | { readonly state: 'none' }
  | { readonly state: 'current' | 'outdated'; readonly version: string };

/** How the app reaches a helper (helper-launcher.ts): a running one, or one it installs or starts. */
export interface HelperLauncher {
  /** The app's version; a helper of another version is never used. */
  readonly appVersion: string;
  /** Connects to a running helper (the user's service or an earlier start); throws if none. */
  connect(): Promise<HelperConnection>;
  installed(): HelperInstall;
  /** One authorization: installs (or updates) the helper into its root-owned place, then starts it. */
  install(): Promise<void>;
  /** One authorization: starts the installed helper. */
  start(): Promise<void>;
}
