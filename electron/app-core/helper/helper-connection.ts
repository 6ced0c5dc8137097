// The app's view of the privileged helper's control protocol
// (tunnel-helper/src/control/protocol.ts). The tunnel service depends on this
// interface only; helper/control-adapter.ts maps the real client onto it, and
// tests plug in a double, so swapping transports never touches app logic.
import type { Diagnosis, TunnelState } from '../../ipc/types.js';

export interface TunnelOptions {
  readonly killSwitch: boolean;
  readonly allowLan: boolean;
}

export interface HelperPeerStats {
  readonly publicKey: string;
  readonly rxBytes: number;
  readonly txBytes: number;
  /** Epoch ms of the latest handshake, null if none. */
  readonly lastHandshake: number | null;
  readonly endpoint: string | null;
}

export interface HelperEvents {
  'tunnel-state': { readonly name: string; readonly state: TunnelState; readonly diagnosis?: Diagnosis };
  stats: { readonly name: string; readonly at: number; readonly peers: readonly HelperPeerStats[] };
  handshake: {
    readonly name: string; readonly publicKey: string; readonly at: number;
    readonly kind: 'initiated' | 'completed' | 'failed'; readonly diagnosis?: Diagnosis;
  };
  roaming: { readonly name: string; readonly publicKey: string; readonly at: number; readonly from: string | null; readonly to: string };
  log: { readonly name: string | null; readonly at: number; readonly source: 'helper' | 'engine'; readonly message: string };
}

export type HelperLink = 'connected' | 'reconnecting' | 'closed';

export interface HelperConnection {
  hello(): Promise<{ readonly version: string }>;
  listTunnels(): Promise<readonly { readonly name: string; readonly state: TunnelState }[]>;
  /** Config text, never a path: the helper must not read files the user controls. */
  up(name: string, configText: string, options: TunnelOptions): Promise<void>;
  down(name: string): Promise<void>;
  setOptions(name: string, options: TunnelOptions): Promise<void>;
  logs(name: string, limit: number): Promise<readonly HelperEvents['log'][]>;
  on<E extends keyof HelperEvents>(event: E, listener: (payload: HelperEvents[E]) => void): () => void;
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
