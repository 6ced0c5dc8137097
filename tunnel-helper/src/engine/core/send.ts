// Outbound flow (wg-go send.go):
//
//   1. An IP packet for a peer arrives (the engine routed it by allowed-IPs).
//   2. With staged packets waiting or no usable current keypair, it is staged
//      (at most 128, oldest dropped) and a handshake initiation is sent,
//      at most once per REKEY_TIMEOUT.
//   3. Otherwise the next counter is taken, the plaintext padded with zeros to
//      a multiple of 16 (capped at the MTU; keepalives stay empty), the
//      16-byte transport header written before it, and it is sealed in place.
//   4. Timers: persistent keepalive re-armed, passive keepalive cancelled,
//      new-handshake armed if it was data; then keepKeyFreshSending may start
//      a rekey (initiator after 120 s, anyone after 2^60 messages).
// When a keypair becomes usable the staged packets are sent in order.
import type { Action } from './actions.js';
import {
  AEAD_TAG_SIZE, MESSAGE_TRANSPORT, REKEY_AFTER_TIME, REKEY_TIMEOUT, TRANSPORT_HEADER_SIZE,
} from './constants.js';
import type { DeviceContext } from './device-context.js';
import { type Keypair, REKEY_AFTER_MESSAGES_NUMBER } from './keypair.js';
import { TRANSPORT_COUNTER, TRANSPORT_RECEIVER, paddedLength, writeCounter, writeU32 } from './messages.js';
import { beginSymmetricSession, createInitiation, createResponse } from './noise-handshake.js';
import type { Peer } from './peer.js';

const KEEPALIVE = new Uint8Array(0);

/** Queues `data` for the peer's endpoint and counts it in tx_bytes.
 *  Returns false (nothing sent) when the peer has no endpoint yet. */
export function emitDatagram(peer: Peer, data: Uint8Array, out: Action[]): boolean {
  const endpoint = peer.endpoint;
  if (endpoint === null) return false;
  const clearSource = peer.clearSourceOnSend;
  peer.clearSourceOnSend = false;
  peer.txBytes += data.length;
  out.push({ type: 'send-datagram', peer, endpoint, data, clearSource });
  return true;
}

/** Sends an initiation unless one went out less than `minInterval` ago
 *  (REKEY_TIMEOUT, except after a network change: path-change.ts). */
export function sendHandshakeInitiation(dev: DeviceContext, peer: Peer,
  isRetry: boolean, now: number, wallNow: number, out: Action[], minInterval = REKEY_TIMEOUT): void {
  const hs = peer.handshake;
  if (!isRetry) peer.timers.handshakeAttempts = 0;
  if (now - hs.lastSentHandshake < minInterval || peer.endpoint === null) return;
  peer.timers.pathHandshake = Infinity;
  hs.lastSentHandshake = now;
  const msg = createInitiation(dev, peer, wallNow);
  if (msg === null) return; // no private key, or a low-order peer key
  peer.cookieGenerator.addMacs(msg, now);
  peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
  peer.timers.anyAuthenticatedPacketSent();
  emitDatagram(peer, msg, out);
  peer.timers.handshakeInitiated(now, dev.jitter.next());
  out.push({ type: 'handshake-initiated', peer, retry: isRetry });
}

/** Answers a consumed initiation and derives the (unconfirmed) session. */
export function sendHandshakeResponse(dev: DeviceContext, peer: Peer,
  now: number, out: Action[]): void {
  peer.handshake.lastSentHandshake = now;
  const msg = createResponse(dev, peer);
  if (msg === null) return;
  peer.cookieGenerator.addMacs(msg, now);
  if (beginSymmetricSession(dev, peer, now) === null) return;
  peer.timers.sessionDerived(now);
  peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
  peer.timers.anyAuthenticatedPacketSent();
  emitDatagram(peer, msg, out);
}

/** Sends a keepalive, unless other packets are already waiting to go out. */
export function sendKeepalive(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  if (peer.staged.length === 0) peer.stage(KEEPALIVE);
  sendStagedPackets(dev, peer, now, wallNow, out);
}

/** Sends the staged packets under the current keypair, or starts a handshake. */
export function sendStagedPackets(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  if (peer.staged.length === 0) return;
  const kp = peer.keypairs.current;
  if (kp === null || !kp.canSend(now)) {
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out);
    return;
  }
  const staged = peer.staged;
  peer.staged = [];
  let data = false;
  for (const packet of staged) {
    emitDatagram(peer, sealCopy(dev, kp, packet), out);
    if (packet.length > 0) data = true;
  }
  packetsSent(dev, peer, data, now, wallNow, out);
}

/** The action-API send: encrypts now, or stages and initiates. */
export function sendPacket(dev: DeviceContext, peer: Peer, packet: Uint8Array,
  now: number, wallNow: number, out: Action[]): void {
  const kp = peer.keypairs.current;
  if (peer.staged.length === 0 && kp !== null && kp.canSend(now)) {
    emitDatagram(peer, sealCopy(dev, kp, packet), out);
    packetsSent(dev, peer, packet.length > 0, now, wallNow, out);
    return;
  }
  peer.stage(packet.slice());
  sendStagedPackets(dev, peer, now, wallNow, out);
}

/** The fast path: seals buf[off, off+len) in place (see DeviceCore.encryptInto). */
export function encryptInto(dev: DeviceContext, peer: Peer, buf: Uint8Array,
  off: number, len: number, now: number, wallNow: number, out: Action[]): number {
  const kp = peer.keypairs.current;
  if (peer.staged.length !== 0 || kp === null || !kp.canSend(now) || peer.endpoint === null) return -1;
  const n = seal(dev, kp, buf, off, len);
  peer.txBytes += n;
  packetsSent(dev, peer, len > 0, now, wallNow, out);
  return n;
}

function sealCopy(dev: DeviceContext, kp: Keypair, packet: Uint8Array): Uint8Array {
  const buf = new Uint8Array(TRANSPORT_HEADER_SIZE + paddedLength(packet.length, dev.mtu) + AEAD_TAG_SIZE);
  buf.set(packet, TRANSPORT_HEADER_SIZE);
  seal(dev, kp, buf, TRANSPORT_HEADER_SIZE, packet.length);
  return buf;
}

/** Pads, writes the header at off-16 and seals; returns the datagram length. */
function seal(dev: DeviceContext, kp: Keypair, buf: Uint8Array, off: number, len: number): number {
  const padded = len === 0 ? 0 : paddedLength(len, dev.mtu);
  if (padded > len) buf.fill(0, off + len, off + padded);
  const nonce = kp.sendNonce++;
  const header = off - TRANSPORT_HEADER_SIZE;
  writeU32(buf, header, MESSAGE_TRANSPORT);
  writeU32(buf, header + TRANSPORT_RECEIVER, kp.remoteIndex);
  writeCounter(buf, header + TRANSPORT_COUNTER, nonce);
  dev.cipher.sealInPlace(kp.sendKey, nonce, buf, off, padded);
  return TRANSPORT_HEADER_SIZE + padded + AEAD_TAG_SIZE;
}

/** Timer bookkeeping after transport packets went out. */
function packetsSent(dev: DeviceContext, peer: Peer, data: boolean,
  now: number, wallNow: number, out: Action[]): void {
  peer.timers.anyAuthenticatedPacketTraversal(now, peer.persistentKeepaliveInterval);
  peer.timers.anyAuthenticatedPacketSent();
  if (data) peer.timers.dataSent(now, dev.jitter);
  keepKeyFreshSending(dev, peer, now, wallNow, out);
}

function keepKeyFreshSending(dev: DeviceContext, peer: Peer,
  now: number, wallNow: number, out: Action[]): void {
  const kp = peer.keypairs.current;
  if (kp === null) return;
  if (kp.sendNonce > REKEY_AFTER_MESSAGES_NUMBER || (kp.isInitiator && now - kp.created > REKEY_AFTER_TIME)) {
    sendHandshakeInitiation(dev, peer, false, now, wallNow, out);
  }
}
