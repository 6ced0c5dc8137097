// What the protocol does when the network under the tunnel changes: the
// route or local address toward a peer's endpoint moved (Wi-Fi to Ethernet,
// a new DHCP lease, an interface going down). The engine notices it through
// rtnetlink (../path-watch.ts) and tells the core which peers it concerns.
//
// Sessions are not tied to addresses, so nothing has to be torn down:
//   1. Forget the sticky source (wg-go's route listener does only this, as
//      clearSrcOnTx): the next datagram leaves from whatever address the
//      kernel now routes from, and the peer roams to it.
//   2. If the peer is in use (packets staged, a handshake in flight, or a
//      session we can send on), start a handshake at once instead of waiting
//      for the 15 s new-handshake or 5 s retransmit timers. It tells the peer
//      our new address even when no data is flowing, proves the path both
//      ways, and sends the staged packets when it completes (send.ts).
//      The REKEY_TIMEOUT gate is waived; only the responder's flood limit
//      (HANDSHAKE_INITIATION_RATE, 20 ms) is kept: an initiation sooner
//      than that would be dropped, so it is sent when the 20 ms are over.
import type { Action } from './actions.js';
import { HANDSHAKE_INITIATION_RATE } from './constants.js';
import type { DeviceContext } from './device-context.js';
import type { Peer } from './peer.js';
import { sendHandshakeInitiation } from './send.js';

export function pathChanged(dev: DeviceContext, peer: Peer, now: number, wallNow: number, out: Action[]): void {
  const endpoint = peer.endpoint;
  if (peer.removed || endpoint === null) return;
  peer.endpoint = endpoint.withoutSource();
  peer.clearSourceOnSend = false;
  out.push({ type: 'path-changed', peer });
  if (!inUse(peer, now)) return;
  const since = now - peer.handshake.lastSentHandshake;
  if (since >= HANDSHAKE_INITIATION_RATE) {
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out, HANDSHAKE_INITIATION_RATE);
  } else {
    peer.timers.pathHandshake = peer.handshake.lastSentHandshake + HANDSHAKE_INITIATION_RATE;
  }
}

function inUse(peer: Peer, now: number): boolean {
  const kp = peer.keypairs.current;
  return peer.staged.length > 0 || peer.timers.retransmitHandshake !== Infinity || (kp !== null && kp.canSend(now));
}
