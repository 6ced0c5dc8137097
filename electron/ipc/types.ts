// The values that cross between main and renderer. Public data only: a
// private key crosses only where the user is handling the whole config, and
// is dropped when that view closes:
// - the editor's config text (tunnels:readConfig / tunnels:save);
// - text the user pastes or drops to import (tunnels:importText / importFiles);
// - the QR code of an export (tunnels:qr), drawn after the private-key warning:
//   its modules encode the whole config, as the phone apps need.
// (tunnels:createDemo keeps the demo tunnel's new private key in main.)
import type { DemoFailure } from '../../tunnel-helper/src/demo/demo-failure.js';

export type { DemoFailure };

export type TunnelState = 'down' | 'connecting' | 'up' | 'degraded' | 'error';

/** Why a tunnel is degraded or failed, in a sentence a user can act on. */
export interface Diagnosis {
  /** The helper's codes (control/protocol.ts), plus 'helper-lost' when the helper itself went away
   *  and 'helper-outdated' when the installed helper is another version than the app. */
  readonly code:
    | 'no-reply' | 'peer-under-load' | 'endpoint-unresolved' | 'key-mismatch' | 'handshake-expired'
    | 'engine-stopped' | 'setup-failed' | 'helper-lost' | 'helper-outdated';
  readonly message: string;
}

export interface TunnelSummary {
  readonly name: string;
  readonly state: TunnelState;
  readonly diagnosis?: Diagnosis;
  readonly publicKey: string | null;
  readonly addresses: readonly string[];
  readonly peerCount: number;
  /** Bytes per second over the last second, all peers together. */
  readonly rxRate: number;
  readonly txRate: number;
}

export interface PeerInfo {
  readonly publicKey: string;
  /** The configured endpoint; the runtime one comes with the stats. */
  readonly endpoint?: string;
  readonly allowedIps: readonly string[];
  readonly persistentKeepalive?: number;
  readonly hasPresharedKey: boolean;
}

export interface TunnelDetail {
  readonly name: string;
  readonly publicKey: string | null;
  readonly addresses: readonly string[];
  readonly dns: readonly string[];
  readonly mtu?: number;
  readonly listenPort?: number;
  readonly peers: readonly PeerInfo[];
}

export interface PeerStats {
  readonly publicKey: string;
  /** The endpoint the engine uses now (it roams), or null before any packet. */
  readonly endpoint: string | null;
  readonly rxBytes: number;
  readonly txBytes: number;
  readonly rxRate: number;
  readonly txRate: number;
  /** Epoch ms of the latest handshake, or null if none yet. */
  readonly lastHandshake: number | null;
  readonly persistentKeepalive?: number;
}

export interface StatsSample {
  readonly name: string;
  readonly at: number;
  readonly rxRate: number;
  readonly txRate: number;
  readonly peers: readonly PeerStats[];
}

export interface RatePoint {
  readonly at: number;
  readonly rx: number;
  readonly tx: number;
}

export interface HandshakeEntry {
  readonly name: string;
  readonly publicKey: string;
  readonly at: number;
  readonly kind: 'initiated' | 'completed' | 'failed';
  readonly diagnosis?: Diagnosis;
}

export interface RoamingEntry {
  readonly name: string;
  readonly publicKey: string;
  readonly at: number;
  readonly from: string | null;
  readonly to: string;
}

export interface LogLine {
  readonly at: number;
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly source: 'app' | 'helper' | 'engine';
  readonly tunnel?: string;
  readonly message: string;
}

/** What the detail view needs when it opens: up to 10 minutes of rates and the timelines. */
export interface TunnelHistory {
  readonly rates: readonly RatePoint[];
  readonly handshakes: readonly HandshakeEntry[];
  readonly roaming: readonly RoamingEntry[];
  readonly latest: StatsSample | null;
}

export interface ImportFailure {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface ImportSummary {
  readonly total: number;
  readonly imported: readonly { readonly name: string; readonly from: string }[];
  readonly failed: readonly ImportFailure[];
  /** "Imported 2 of 3 — office.conf:5: error: …" */
  readonly text: string;
}

export type Language = 'system' | 'en' | 'ja';
export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  readonly startAtLogin: boolean;
  readonly startHidden: boolean;
  readonly killSwitch: boolean;
  readonly allowLan: boolean;
  readonly language: Language;
  readonly theme: Theme;
}

export interface HelperStatus {
  /** 'outdated': a helper of another version is installed or running; the app offers to update it. */
  readonly state: 'idle' | 'starting' | 'connected' | 'reconnecting' | 'failed' | 'outdated';
  readonly message?: string;
  /** The helper in its root-owned place: none yet, this app's version, or another one. */
  readonly installed: 'none' | 'current' | 'outdated';
}

/** A QR code as rows of '1' (dark) and '0' modules. */
export interface QrCode {
  readonly size: number;
  readonly rows: readonly string[];
}

/** The demo server's answer: the saved tunnel's name, or why there is none (the renderer words it). */
export type DemoResult = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly failure: DemoFailure };

export type SaveResult = { readonly ok: true; readonly name: string } | { readonly ok: false; readonly message: string };

export interface AppInfo {
  readonly version: string;
  readonly platform: string;
  readonly systemLocale: string;
}

export type NavigateTarget = { readonly view: 'import' } | { readonly view: 'tunnel'; readonly name: string } | { readonly view: 'settings' } | { readonly view: 'list' };
