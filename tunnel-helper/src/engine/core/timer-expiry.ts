// What happens when a peer's timer deadline passes (wg-go timers.go
// expired* functions). DeviceCore.tick runs this for every peer whose
// earliest deadline is due; deadlines themselves are armed in timers.ts.
import type { Action } from './actions.js';
import { HANDSHAKE_INITIATION_RATE, KEEPALIVE_TIMEOUT, MAX_TIMER_HANDSHAKES, ZERO_KEYS_AFTER } from './constants.js';
import type { DeviceContext } from './device-context.js';
import type { Peer } from './peer.js';
import { sendHandshakeInitiation, sendKeepalive } from './send.js';

export function expireTimers(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  const t = peer.timers;
  if (t.retransmitHandshake <= now) {
    t.retransmitHandshake = Infinity;
    retransmitHandshake(dev, peer, now, wallNow, out);
  }
  if (t.sendKeepalive <= now) {
    t.sendKeepalive = Infinity;
    sendKeepalive(dev, peer, now, wallNow, out);
    if (t.needAnotherKeepalive) {
      t.needAnotherKeepalive = false;
      t.sendKeepalive = now + KEEPALIVE_TIMEOUT;
    }
  }
  if (t.newHandshake <= now) {
    // Data went out but nothing came back for 15 s: the path may have
    // changed, so forget the cached source address and handshake again.
    t.newHandshake = Infinity;
    peer.clearSourceOnSend = true;
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out);
  }
  if (t.pathHandshake <= now) {
    t.pathHandshake = Infinity;
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out, HANDSHAKE_INITIATION_RATE);
  }
  if (t.zeroKeyMaterial <= now) {
    t.zeroKeyMaterial = Infinity;
    dev.zeroAndFlushAll(peer);
    out.push({ type: 'keys-zeroed', peer });
  }
  if (t.persistentKeepalive <= now) {
    t.persistentKeepalive = Infinity;
    if (peer.persistentKeepaliveInterval > 0) sendKeepalive(dev, peer, now, wallNow, out);
  }
}

function retransmitHandshake(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  const t = peer.timers;
  if (t.handshakeAttempts > MAX_TIMER_HANDSHAKES) {
    // REKEY_ATTEMPT_TIME is over: give up, drop what waited for the session,
    // and erase any partial state later unless something else does first.
    t.sendKeepalive = Infinity;
    peer.staged = [];
    if (t.zeroKeyMaterial === Infinity) t.zeroKeyMaterial = now + ZERO_KEYS_AFTER;
    out.push({ type: 'handshake-failed', peer, attempts: t.handshakeAttempts + 1 });
    return;
  }
  t.handshakeAttempts++;
  peer.clearSourceOnSend = true;
  sendHandshakeInitiation(dev, peer, true, now, wallNow, out);
}
