// Fakes for the control tests: a scriptable UAPI device and a netconfig
// that records what it was asked, so the monitor and the tunnel manager run
// with an injected clock and no root.
import { encodeKey, type LoadedConfig } from '../../../../shared/config/index.js';
import type { DeviceState, PeerState } from '../../../../tunnel-helper/src/engine/uapi/device-api.js';
import type { NetconfigApi, UpOptions, UpResult } from '../../../../tunnel-helper/src/helper/tunnels/netconfig-api.js';
import type { MonitorDeps } from '../../../../tunnel-helper/src/helper/tunnels/tunnel-monitor.js';

export const KEYS = [
  { priv: 'mOnx2NdABJyplZzu7ygribv4GCE3DDBfcEL8iD93IHI=', pub: 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=', psk: 'Z9kQuAnTfYyePhu043bo11duXnBxCj9ruTyB9GzDOZ0=' },
  { priv: 'uKcg4I+v2/HpSHrhtVVCIqaW0rjq4ZLvvCc0yzbvD2Y=', pub: 'v/mqdX/p062Tnl4+M2UOPAhDeIsZoY2cWeM400+ABkI=', psk: '17ZZLI7ViMUdjtDeHPANMf9D+UCvtR5Mnbd/cgLxcMY=' },
] as const;

export function peerState(pub: string, over: Partial<PeerState> = {}): PeerState {
  return {
    publicKey: Buffer.from(pub, 'base64'), presharedKey: null, endpoint: '192.0.2.1:51820', lastHandshakeSec: 0, lastHandshakeNsec: 0,
    rxBytes: 0n, txBytes: 0n, persistentKeepaliveInterval: 0, allowedIps: ['10.0.0.0/24'], ...over,
  };
}

export class FakeDevice implements MonitorDeps {
  clock = 1_000_000;
  peers: PeerState[] = [];
  logLines: string[] = [];
  sets: string[] = [];
  failGet: Error | null = null;

  now = (): number => this.clock;
  get = async (_ifname: string): Promise<DeviceState> => {
    if (this.failGet) throw this.failGet;
    return { privateKey: null, listenPort: 51820, fwmark: 0, peers: this.peers.map((p) => ({ ...p })) };
  };
  set = async (_ifname: string, body: string): Promise<void> => { this.sets.push(body); };
  readLog = async (): Promise<string[]> => this.logLines.splice(0);
}

export function conf(peerLines: string[] = [], iface: string[] = []): string {
  return ['[Interface]', `PrivateKey = ${KEYS[0].priv}`, 'Address = 10.0.0.2/24', ...iface, '', '[Peer]', `PublicKey = ${KEYS[1].pub}`,
    `PresharedKey = ${KEYS[1].psk}`, 'Endpoint = 192.0.2.1:51820', ...peerLines, ''].join('\n');
}

export class FakeNetconfig implements NetconfigApi {
  up: { ifname: string; config: LoadedConfig; opts: UpOptions | undefined }[] = [];
  downs: string[] = [];
  active = new Set<string>();
  failUp: Error | null = null;
  upDelayMs = 0;

  tunnelUp = async (ifname: string, config: LoadedConfig, opts?: UpOptions): Promise<UpResult> => {
    this.up.push({ ifname, config, opts });
    opts?.log?.(`[#] ip link add ${ifname}`);
    opts?.log?.(`[#] echo PrivateKey = ${encodeKey(config.wg.privateKey!)}`); // a careless echo of the PrivateKey line
    if (this.upDelayMs) await new Promise((r) => setTimeout(r, this.upDelayMs));
    if (this.failUp) throw this.failUp;
    this.active.add(ifname);
    return { ifname, mtu: 1420, table: null, hooksSkipped: config.quick.postUp.length > 0 ? ['PostUp'] : [] };
  };
  tunnelDown = async (ifname: string): Promise<{ savedConfig?: string }> => {
    this.downs.push(ifname);
    if (!this.active.delete(ifname)) throw new Error(`${ifname} is not up`);
    return {};
  };
  recoverStaleTunnels = async (): Promise<string[]> => ['old0'];
  activeTunnels = (): string[] => [...this.active];
}
