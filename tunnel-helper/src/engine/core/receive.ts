// Inbound flow (wg-go receive.go, whitepaper §5.4.6):
//
// Transport (type 4, >= 32 bytes):
//   1. receiver index -> keypair; drop if unknown or older than REJECT_AFTER_TIME
//   2. decrypt in place
//   3. THEN the replay window (a forged packet must not advance it)
//   4. key confirmation: first packet under `next` promotes it, staged packets go out
//   5. rx_bytes += padded plaintext + 32; roam to the source endpoint
//   6. timers; keepKeyFreshReceiving
//   7. keepalive (empty) -> done; otherwise trim to the IPv4/IPv6 length and
//      hand the packet and its inner source address to the engine, which
//      checks allowed-IPs (the core does not drop on allowed-IPs).
//
// Handshake (exact sizes only): cookie replies are matched by index; for
// initiations and responses a bad mac1 drops silently; under load a missing
// mac2 earns a cookie reply and a valid one passes the per-IP rate limiter.
// Whether the device is under load is asked only after the size and mac1
// checks (as wg-go's handshake worker does), so an engine that estimates its
// load from those questions counts only messages that can cost it work.
import type { Action, DecryptResult } from './actions.js';
import type { Endpoint } from './endpoint.js';
import {
  INITIATION_SIZE, KEEP_KEY_FRESH_RECEIVING, MESSAGE_COOKIE_REPLY, MESSAGE_INITIATION, MESSAGE_TRANSPORT,
  REJECT_AFTER_TIME, RESPONSE_SIZE, TRANSPORT_MIN_SIZE,
} from './constants.js';
import { sourceBytes } from './cookie.js';
import type { DeviceContext } from './device-context.js';
import {
  COOKIE_RECEIVER, TRANSPORT_CONTENT, TRANSPORT_COUNTER, TRANSPORT_RECEIVER, readCounter, readU32,
} from './messages.js';
import { beginSymmetricSession, consumeInitiation, consumeResponse } from './noise-handshake.js';
import type { Peer } from './peer.js';
import { sendHandshakeInitiation, sendHandshakeResponse, sendKeepalive, sendStagedPackets } from './send.js';

export function newDecryptResult(): DecryptResult {
  return {
    kind: 'drop', reason: null, peer: null, offset: 0, length: 0, ipVersion: 0, sourceOffset: 0, sourceLength: 0,
  };
}

/** Decrypts the transport message buf[off, off+len) in place into `r`. */
export function receiveTransport(dev: DeviceContext, buf: Uint8Array, off: number,
  len: number, source: Endpoint, now: number, wallNow: number, out: Action[], r: DecryptResult): DecryptResult {
  r.kind = 'drop';
  r.reason = null;
  r.peer = null;
  r.offset = r.length = r.sourceOffset = r.sourceLength = r.ipVersion = 0;
  if (len < TRANSPORT_MIN_SIZE || readU32(buf, off) !== MESSAGE_TRANSPORT) return drop(r, 'not-transport');
  const entry = dev.indexTable.get(readU32(buf, off + TRANSPORT_RECEIVER));
  const kp = entry?.keypair;
  if (entry === undefined || kp == null) return drop(r, 'unknown-index');
  if (now - kp.created > REJECT_AFTER_TIME) return drop(r, 'keypair-expired');
  // The counter as u32 halves: a number nonce below 2^53, no bigint per packet.
  const lo = readU32(buf, off + TRANSPORT_COUNTER);
  const hi = readU32(buf, off + TRANSPORT_COUNTER + 4);
  const counter = hi < 0x20_0000 ? hi * 0x1_0000_0000 + lo : readCounter(buf, off + TRANSPORT_COUNTER);
  const content = off + TRANSPORT_CONTENT;
  const plen = dev.cipher.openInPlace(kp.receiveKey, counter, buf, content, len - TRANSPORT_CONTENT);
  if (plen < 0) return drop(r, 'decrypt-failed');
  if (!kp.replay.validate(lo, hi)) return drop(r, 'replay'); // limit: REJECT_AFTER_MESSAGES

  const peer = entry.peer;
  r.peer = peer;
  if (peer.keypairs.receivedWith(kp)) {
    setEndpointFromPacket(peer, source, out);
    handshakeComplete(peer, wallNow, out);
    sendStagedPackets(dev, peer, now, wallNow, out);
  }
  peer.rxBytes += plen + TRANSPORT_MIN_SIZE;
  setEndpointFromPacket(peer, source, out);
  keepKeyFreshReceiving(dev, peer, now, wallNow, out);
  peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
  peer.timers.anyAuthenticatedPacketReceived();
  if (plen === 0) {
    r.kind = 'keepalive';
    return r;
  }
  peer.timers.dataReceived(now);
  return trimIpPacket(buf, content, plen, r);
}

/** Trims the padding using the IP header's own length field. */
function trimIpPacket(buf: Uint8Array, p: number, plen: number,
  r: DecryptResult): DecryptResult {
  const version = buf[p]! >> 4;
  let length: number;
  if (version === 4) {
    if (plen < 20) return drop(r, 'bad-ip-packet');
    length = (buf[p + 2]! << 8) | buf[p + 3]!;
    if (length > plen || length < 20) return drop(r, 'bad-ip-packet');
    r.ipVersion = 4;
    r.sourceOffset = p + 12;
    r.sourceLength = 4;
  } else if (version === 6) {
    if (plen < 40) return drop(r, 'bad-ip-packet');
    length = ((buf[p + 4]! << 8) | buf[p + 5]!) + 40;
    if (length > plen) return drop(r, 'bad-ip-packet');
    r.ipVersion = 6;
    r.sourceOffset = p + 8;
    r.sourceLength = 16;
  } else {
    return drop(r, 'bad-ip-packet');
  }
  r.kind = 'data';
  r.offset = p;
  r.length = length;
  return r;
}

function drop(r: DecryptResult, reason: DecryptResult['reason']): DecryptResult {
  r.kind = 'drop';
  r.reason = reason;
  return r;
}

/**
 * Whether the engine is under load (see UNDER_LOAD_QUEUE_DEPTH), so handshakes
 * must carry a mac2 from our cookie. A function is called once for each
 * initiation or response of its exact size whose mac1 is valid for our key,
 * and for nothing else: junk and forged-mac1 datagrams never reach it.
 */
export type UnderLoad = boolean | ((now: number) => boolean);

/** Handles an initiation, response or cookie reply of the exact size. */
export function receiveHandshake(dev: DeviceContext, msg: Uint8Array, type: number,
  source: Endpoint, now: number, wallNow: number, underLoad: UnderLoad, out: Action[]): void {
  if (type === MESSAGE_COOKIE_REPLY) {
    const entry = dev.indexTable.get(readU32(msg, COOKIE_RECEIVER));
    if (entry !== undefined && entry.peer.cookieGenerator.consumeReply(msg, now)) {
      out.push({ type: 'cookie-received', peer: entry.peer });
    }
    return;
  }
  if (!dev.cookieChecker.checkMac1(msg)) return;
  if (typeof underLoad === 'function' ? underLoad(now) : underLoad) {
    const src = sourceBytes(source.ip, source.port);
    if (!dev.cookieChecker.checkMac2(msg, src, now)) {
      // The sender index sits at offset 4 in both initiations and responses.
      const reply = dev.cookieChecker.createReply(msg, readU32(msg, 4), src, now);
      if (reply !== null) out.push({ type: 'send-to-source', endpoint: source, data: reply });
      return;
    }
    if (!dev.rateLimiter.allow(source.ip, now)) return;
  }

  if (type === MESSAGE_INITIATION) {
    const peer = consumeInitiation(dev, msg, now);
    if (peer === null) return;
    peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
    peer.timers.anyAuthenticatedPacketReceived();
    setEndpointFromPacket(peer, source, out);
    peer.rxBytes += INITIATION_SIZE;
    sendHandshakeResponse(dev, peer, now, out);
    return;
  }

  const peer = consumeResponse(dev, msg, (p) => {
    if (p.handshake.invalidResponseReported) return;
    p.handshake.invalidResponseReported = true;
    out.push({ type: 'handshake-response-invalid', peer: p });
  });
  if (peer === null) return;
  setEndpointFromPacket(peer, source, out);
  peer.rxBytes += RESPONSE_SIZE;
  peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
  peer.timers.anyAuthenticatedPacketReceived();
  if (beginSymmetricSession(dev, peer, now) === null) return;
  peer.timers.sessionDerived(now);
  handshakeComplete(peer, wallNow, out);
  sendKeepalive(dev, peer, now, wallNow, out); // confirms the session; flushes staged packets
}

/** Roaming: authenticated traffic from a new address moves the endpoint there. */
function setEndpointFromPacket(peer: Peer, source: Endpoint, out: Action[]): void {
  const previous = peer.endpoint;
  peer.clearSourceOnSend = false;
  // An endpoint carries more than its key (a sticky local source), so keep the latest.
  peer.endpoint = source;
  if (previous !== null && previous.key === source.key) return;
  out.push({ type: 'endpoint-changed', peer, endpoint: source, previous });
}

function handshakeComplete(peer: Peer, wallNow: number, out: Action[]): void {
  peer.timers.handshakeComplete();
  peer.latestHandshakeMs = wallNow;
  out.push({ type: 'handshake-completed', peer, wallMs: wallNow });
}

/** An initiator receiving on a session about to expire rekeys once, now. */
function keepKeyFreshReceiving(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  if (peer.timers.sentLastMinuteHandshake) return;
  const kp = peer.keypairs.current;
  if (kp !== null && kp.isInitiator && now - kp.created > KEEP_KEY_FRESH_RECEIVING) {
    peer.timers.sentLastMinuteHandshake = true;
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out);
  }
}
