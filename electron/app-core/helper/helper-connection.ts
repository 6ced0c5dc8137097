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

/** How the app reaches a helper: an already running one, or a fresh launch. */
export interface HelperLauncher {
  /** Connects to a running helper (installed service or earlier launch); throws if none. */
  connect(): Promise<HelperConnection>;
  /** Starts the helper with the user's consent (sudo-prompt / polkit). */
  launch(): Promise<void>;
  /** One-time install of the system service so later starts need no password. */
  installService(): Promise<void>;
  isServiceInstalled(): boolean;
}
