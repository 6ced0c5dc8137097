// An in-memory UapiDevice with wireguard-go 0.0.20220316's configuration
// semantics and no networking: tests drive it with the real wg(8) and compare
// its replies with wireguard-go's. It also documents, as code, what the
// engine's `set` must do (device/uapi.go, device.go SetPrivateKey,
// allowedips.go):
// - peers and each peer's allowed IPs are kept in insertion order; inserting
//   a prefix again moves it to the end of its (new) owner's list;
// - a peer op for our own public key is ignored; a new private key whose
//   public key equals a peer's removes that peer;
// - update_only ignores an op for an unknown peer; remove ignores the rest.

import type { DeviceState, Key, PeerOp, SetRequest, UapiDevice } from './device-api.js';
import { formatEndpoint, formatPrefix } from './allowed-ip-endpoint.js';
import { isZeroKey, keyToHex, keysEqual, publicKeyBytes } from '../../../../shared/config/keys.js';

interface MemoryPeer {
  publicKey: Key;
  presharedKey: Key | null;
  endpoint: string | null;
  persistentKeepaliveInterval: number;
  allowedIps: Set<string>; // formatted prefixes, in insertion order
}

export class MemoryDevice implements UapiDevice {
  private privateKey: Key | null = null;
  private publicKey: Key = new Uint8Array(32); // wg-go starts with a zero identity
  private listenPort = 0;
  private fwmark = 0;
  private readonly peers = new Map<string, MemoryPeer>();
  private readonly owners = new Map<string, MemoryPeer>(); // prefix -> peer
  /** Every request applied, for tests that check the wire traffic. */
  readonly history: SetRequest[] = [];

  get(): DeviceState {
    return {
      privateKey: this.privateKey,
      listenPort: this.listenPort,
      fwmark: this.fwmark,
      peers: [...this.peers.values()].map((p) => ({
        publicKey: p.publicKey,
        presharedKey: p.presharedKey,
        endpoint: p.endpoint,
        lastHandshakeSec: 0,
        lastHandshakeNsec: 0,
        rxBytes: 0n,
        txBytes: 0n,
        persistentKeepaliveInterval: p.persistentKeepaliveInterval,
        allowedIps: [...p.allowedIps],
      })),
    };
  }

  set(req: SetRequest): void {
    this.history.push(req);
    if (req.privateKey !== undefined) this.setPrivateKey(req.privateKey);
    if (req.listenPort !== undefined) this.listenPort = req.listenPort;
    if (req.fwmark !== undefined) this.fwmark = req.fwmark;
    if (req.replacePeers) for (const hex of [...this.peers.keys()]) this.removePeer(hex);
    for (const op of req.peers) this.applyPeerOp(op);
  }

  private setPrivateKey(sk: Key | null): void {
    const key = sk ?? new Uint8Array(32);
    if (this.privateKey !== null ? keysEqual(key, this.privateKey) : isZeroKey(key)) return;
    const pub = publicKeyBytes(key);
    this.removePeer(keyToHex(pub));
    this.privateKey = isZeroKey(key) ? null : key;
    this.publicKey = pub;
  }

  private applyPeerOp(op: PeerOp): void {
    if (keysEqual(op.publicKey, this.publicKey)) return;
    const hex = keyToHex(op.publicKey);
    if (op.remove) return this.removePeer(hex);
    let peer = this.peers.get(hex);
    if (!peer) {
      if (op.updateOnly) return;
      peer = { publicKey: op.publicKey, presharedKey: null, endpoint: null, persistentKeepaliveInterval: 0, allowedIps: new Set() };
      this.peers.set(hex, peer);
    }
    if (op.presharedKey !== undefined) peer.presharedKey = op.presharedKey;
    if (op.endpoint) peer.endpoint = formatEndpoint(op.endpoint);
    if (op.persistentKeepaliveInterval !== undefined) peer.persistentKeepaliveInterval = op.persistentKeepaliveInterval;
    if (op.replaceAllowedIps) this.dropAllowedIps(peer);
    for (const change of op.allowedIps) {
      const prefix = formatPrefix(change);
      const owner = this.owners.get(prefix);
      if (change.remove) {
        if (owner === peer) {
          peer.allowedIps.delete(prefix);
          this.owners.delete(prefix);
        }
        continue;
      }
      owner?.allowedIps.delete(prefix);
      peer.allowedIps.add(prefix);
      this.owners.set(prefix, peer);
    }
  }

  private removePeer(hex: string): void {
    const peer = this.peers.get(hex);
    if (!peer) return;
    this.dropAllowedIps(peer);
    this.peers.delete(hex);
  }

  private dropAllowedIps(peer: MemoryPeer): void {
    for (const prefix of peer.allowedIps) this.owners.delete(prefix);
    peer.allowedIps.clear();
  }
}
