// The values that cross between main and renderer. Public data only: a
// private key crosses only where the user is handling the whole config, and
// is dropped when that view closes:
// - the editor's config text (tunnels:readConfig / tunnels:save);
// - text the user pastes or drops to import (tunnels:importText / importFiles);
// - the QR code of an export (tunnels:qr), drawn after the private-key warning:
//   its modules encode the whole config, as the phone apps need.
// (tunnels:createDemo keeps the demo tunnel's new private key in main.)
//
// What the helper reports comes in the helper's own terms: those types derive
// from the control protocol (shared/control/protocol.ts), with the
// app's additions marked where they are made.
import type * as helper from '../control/protocol.js';
import type { Language } from '../config/wg-units.js';
import type { DemoFailure } from '../demo/demo-failure.js';
import type { ImageProblem } from './image-import.js';

export type { DemoFailure, Language };

export type TunnelState = helper.TunnelState;

/**
 * Why a tunnel is degraded or failed, in a sentence a user can act on: the
 * helper's diagnosis, or the app's own 'helper-lost' (the helper itself went
 * away) and 'helper-outdated' (the installed helper is another version).
 */
export type Diagnosis = Readonly<Omit<helper.Diagnosis, 'code'> & { code: helper.Diagnosis['code'] | 'helper-lost' | 'helper-outdated' }>;

/** Bytes per second over the last second, which main works out from the helper's counters. */
export interface Rates {
  readonly rxRate: number;
  readonly txRate: number;
}

/** A tunnel in the list; its rates are all peers' together. */
export interface TunnelSummary extends Rates {
  readonly name: string;
  readonly state: TunnelState;
  readonly diagnosis?: Diagnosis;
  readonly publicKey: string | null;
  readonly addresses: readonly string[];
  readonly peerCount: number;
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

/** One peer's counters as the helper reports them (endpoint, latest handshake, bytes), with its rates. */
export type PeerStats = Readonly<helper.PeerStats> & Rates;

/** The helper's stats event with rates: the tunnel's (all peers together) and each peer's. */
export type StatsSample = Readonly<Omit<helper.EventData<'stats'>, 'peers'>> & Rates & { readonly peers: readonly PeerStats[] };

export interface RatePoint {
  readonly at: number;
  readonly rx: number;
  readonly tx: number;
}

export type HandshakeEntry = Readonly<helper.EventData<'handshake'>>;

export type RoamingEntry = Readonly<helper.EventData<'roaming'>>;

/** A line of the helper's log, or of the app's own (source 'app'), with a level. */
export type LogLine = Readonly<Omit<helper.LogLine, 'source'> & { source: helper.LogLine['source'] | 'app'; level: 'debug' | 'info' | 'warn' | 'error' }>;

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
  /** Set when a picture held no usable WireGuard QR code; the window words it from this. */
  readonly image?: ImageProblem;
}

export interface ImportSummary {
  readonly total: number;
  readonly imported: readonly { readonly name: string; readonly from: string }[];
  readonly failed: readonly ImportFailure[];
  /** "Imported 2 of 3 — office.conf:5: error: …" */
  readonly text: string;
}

/** One of the languages WireDesk speaks, or the system's. */
export type LanguageSetting = 'system' | Language;
export type Theme = 'system' | 'light' | 'dark';

export interface Settings {
  readonly startAtLogin: boolean;
  readonly startHidden: boolean;
  /** Switch on again, when WireDesk starts, the tunnels and groups the user left on (after a reboot the helper has none up). */
  readonly restoreTunnels: boolean;
  readonly killSwitch: boolean;
  readonly allowLan: boolean;
  /** Reconnect a tunnel when traffic waits and no handshake completes for this long. */
  readonly deadAfterSeconds: number;
  readonly language: LanguageSetting;
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
