// The UAPI face of a Device: `get` reports state as wireguard-go does and
// `set` applies a request that the UAPI layer has already validated in full.
// Semantics carried over from wg-go device/uapi.go: a peer op for our own
// public key is ignored; a private key whose public key is a peer's removes
// that peer; the listen port changes first, so EADDRINUSE leaves the rest
// of the request unapplied.
import type { Action } from './core/actions.js';
import type { Peer } from './core/peer.js';
import { Endpoint, scopeOfZone } from './core/endpoint.js';
import { BindError } from './io/udp-bind.js';
import type { DeviceState, PeerOp, PeerState, SetRequest, UapiDevice } from './uapi/device-api.js';
import { Errno, UapiError } from './uapi/errors.js';
import { formatEndpoint, formatPrefix } from './uapi/allowed-ip-endpoint.js';
import type { Device } from './device.js';

export class DeviceUapi implements UapiDevice {
  constructor(private readonly device: Device) {}

  get(): DeviceState {
    const { core, allowedIps } = this.device;
    const peers: PeerState[] = [];
    for (const peer of core.peers()) {
      const s = core.peerSnapshot(peer);
      peers.push({
        publicKey: s.publicKey,
        presharedKey: s.presharedKey,
        endpoint: s.endpoint ? formatEndpoint(s.endpoint) : null,
        lastHandshakeSec: Math.floor(s.latestHandshakeMs / 1000),
        lastHandshakeNsec: Math.round((s.latestHandshakeMs % 1000) * 1e6),
        rxBytes: BigInt(s.rxBytes),
        txBytes: BigInt(s.txBytes),
        persistentKeepaliveInterval: s.persistentKeepaliveInterval,
        allowedIps: allowedIps.entriesForPeer(peer).map((e) => formatPrefix({ ip: e.bytes, cidr: e.cidr })),
      });
    }
    return {
      privateKey: core.privateKey,
      listenPort: this.device.listenPort,
      fwmark: this.device.mark,
      peers,
    };
  }

  set(req: SetRequest): void {
    const device = this.device;
    const { core } = device;
    const actions: Action[] = [];
    const now = device.clock.now();
    const wallNow = device.clock.wallNow();
    if (req.listenPort !== undefined) {
      try {
        device.setListenPort(req.listenPort);
      } catch (e) {
        if (e instanceof BindError) throw new UapiError(Errno.EADDRINUSE, e.message);
        throw e;
      }
    }
    if (req.fwmark !== undefined) {
      try {
        device.setMark(req.fwmark);
      } catch (e) {
        throw new UapiError(Errno.EADDRINUSE, e instanceof Error ? e.message : String(e));
      }
    }
    if (req.privateKey !== undefined) {
      for (const a of core.setPrivateKey(req.privateKey)) actions.push(a);
    }
    if (req.replacePeers) for (const peer of [...core.peers()]) device.removePeer(peer);
    for (const op of req.peers) this.applyPeer(op, now, wallNow, actions);
    device.run(actions);
  }

  private applyPeer(op: PeerOp, now: number, wallNow: number, actions: Action[]): void {
    const { core, allowedIps } = this.device;
    const existing = core.peer(op.publicKey);
    if (op.remove) {
      if (existing) this.device.removePeer(existing);
      return;
    }
    if (op.updateOnly && !existing) return;
    const peer: Peer | null = existing ?? core.addPeer(op.publicKey);
    if (peer === null) return; // our own public key: ignored
    if (op.presharedKey !== undefined) core.setPresharedKey(peer, op.presharedKey);
    if (op.endpoint !== undefined) {
      const e = op.endpoint;
      core.setEndpoint(peer, new Endpoint(e.ip, e.port, scopeOfZone(e.zone) ?? 0)); // a zone name: no scope
    }
    if (op.replaceAllowedIps) allowedIps.removeByPeer(peer);
    for (const change of op.allowedIps) {
      if (change.remove) allowedIps.remove(change.ip, change.cidr, peer);
      else allowedIps.insert(change.ip, change.cidr, peer);
    }
    if (op.persistentKeepaliveInterval !== undefined) {
      for (const a of core.setPersistentKeepalive(peer, op.persistentKeepaliveInterval, now, wallNow)) actions.push(a);
    }
  }
}
