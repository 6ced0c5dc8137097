// The part of netconfig (../netconfig) the helper uses, as a
// type: the tunnel manager takes it as a parameter, so unit tests drive the
// manager with a fake and the CLI passes the real module.
import type { LoadedConfig } from '../../../../shared/config/index.js';

export type KillSwitch = 'off' | 'on' | 'allow-lan';

export interface UpOptions {
  allowScripts?: boolean;
  killSwitch?: KillSwitch;
  engineCommand?: string;
  log?: (line: string) => void;
  /** Start the next spare engine once this up is done. */
  keepEngineWarm?: boolean;
  /** Split DNS domains (netconfig/split-dns.ts). */
  splitDns?: readonly string[];
}

export interface UpResult {
  ifname: string;
  mtu: number;
  table: number | null;
  hooksSkipped: string[];
}

export interface NetconfigApi {
  /** Throws an Error whose message is meant for the user (netconfig's TunnelError). */
  tunnelUp(ifname: string, config: LoadedConfig, opts?: UpOptions): Promise<UpResult>;
  tunnelDown(ifname: string, opts?: { allowScripts?: boolean; log?: (line: string) => void }): Promise<{ savedConfig?: string }>;
  recoverStaleTunnels(log?: (line: string) => void): Promise<string[]>;
  activeTunnels(): string[];
  /** Changes the kill switch of a tunnel that is up, keeping its engine (netconfig/kill-switch-change.ts). */
  setKillSwitch?(ifname: string, mode: KillSwitch, opts?: { log?: (line: string) => void }): Promise<void>;
  /** Changes the split DNS domains of a tunnel that is up, keeping its engine (netconfig/split-dns-change.ts); [] is off. */
  setSplitDns?(ifname: string, config: LoadedConfig, split: readonly string[], opts?: { log?: (line: string) => void }): Promise<void>;
  /** "Exclude the network I'm on" for a tunnel that is up (netconfig/lan-bypass.ts); returns the prefixes bypassed. */
  setLanBypass?(ifname: string, on: boolean, opts?: { log?: (line: string) => void }): Promise<{ prefix: string; dev: string }[]>;
  /** Recomputes it after a network change; null when it is off. */
  refreshLanBypass?(ifname: string, opts?: { log?: (line: string) => void }): Promise<{ prefix: string; dev: string }[] | null>;
  /** Whether it is on for a tunnel, from its journal, and what it bypasses (a restarted helper reads it there). */
  lanBypassState?(ifname: string): { prefix: string; dev: string }[] | null;
  /** Starts a spare engine ahead of the next up (netconfig/spare-engine.ts). */
  prepareEngine?(engineCommand?: string): void;
}
