// WireGuard's handshake: Noise_IKpsk2 (noise-ikpsk2.ts) framed with indices,
// a TAI64N payload and mac fields (wg-go noise-protocol.go).
//
// Per-peer handshake state machine:
//
//          createInitiation                consumeResponse
//   Zeroed ----------------> InitiationCreated ------------> ResponseConsumed --+
//     |                                                                          |
//     |    consumeInitiation                 createResponse                      | beginSymmetricSession
//     +-------------------> InitiationConsumed ----------> ResponseCreated -----+--> Zeroed (+ keypair)
//
// Any state may be overwritten by a newer initiation from either side.
import type { Crypto } from './crypto.js';
import {
  HANDSHAKE_INITIATION_RATE, INITIATION_SIZE, KEY_SIZE, MESSAGE_INITIATION, MESSAGE_RESPONSE, RESPONSE_SIZE,
} from './constants.js';
import type { DeviceContext } from './device-context.js';
import { Keypair } from './keypair.js';
import {
  INITIATION_NOISE, INITIATION_SENDER, MAC_SIZE, RESPONSE_NOISE, RESPONSE_RECEIVER, RESPONSE_SENDER,
  readU32, toHex, writeU32,
} from './messages.js';
import {
  type SymmetricState, WG_IDENTIFIER, cloneState, initialState, readMessage1Payload, readMessage1Static,
  readMessage2, split, writeMessage1, writeMessage2,
} from './noise-ikpsk2.js';
import { HandshakeState, type Peer } from './peer.js';
import { compareTai64n, tai64n } from './tai64n.js';

const EMPTY = new Uint8Array(0);
const IDENTIFIER = new TextEncoder().encode(WG_IDENTIFIER);

const initialByCrypto = new WeakMap<Crypto, SymmetricState>();
/** (Ci, Hi): the state after InitializeSymmetric and the identifier prologue. */
export function initialWireGuardState(crypto: Crypto): SymmetricState {
  let s = initialByCrypto.get(crypto);
  if (s === undefined) {
    s = initialState(crypto, IDENTIFIER);
    initialByCrypto.set(crypto, s);
  }
  return cloneState(s);
}

/** Builds an initiation (without macs) for `peer`, or null when we have no
 *  private key or DH(s, rs) is zero: then nothing may be sent. */
export function createInitiation(dev: DeviceContext, peer: Peer,
  wallNow: number): Uint8Array | null {
  const hs = peer.handshake;
  const identity = dev.identity;
  if (identity === null || hs.precomputedStaticStatic === null) return null;
  const ephemeral = dev.crypto.generatePrivateKey();
  const s = initialWireGuardState(dev.crypto);
  const msg = new Uint8Array(INITIATION_SIZE);
  writeU32(msg, 0, MESSAGE_INITIATION);
  const ok = writeMessage1(dev.crypto, s, {
    localStaticPublic: identity.publicKey,
    remoteStaticPublic: peer.publicKey,
    ephemeralPrivate: ephemeral,
    staticStatic: hs.precomputedStaticStatic,
    payload: tai64n(wallNow),
  }, msg, INITIATION_NOISE);
  if (!ok) return null;
  dev.clearHandshake(peer);
  hs.localIndex = dev.indexTable.newIndex({ peer, keypair: null });
  writeU32(msg, INITIATION_SENDER, hs.localIndex);
  hs.noise = s;
  hs.localEphemeral = ephemeral;
  hs.state = HandshakeState.InitiationCreated;
  return msg;
}

/** Authenticates an initiation (whose mac1 was checked) and returns its peer,
 *  or null if it is invalid, from an unknown key, a replay or a flood. */
export function consumeInitiation(dev: DeviceContext, msg: Uint8Array,
  now: number): Peer | null {
  const identity = dev.identity;
  if (identity === null) return null;
  const s = initialWireGuardState(dev.crypto);
  const noise = msg.subarray(INITIATION_NOISE, INITIATION_SIZE - 2 * MAC_SIZE);
  const first = readMessage1Static(dev.crypto, s, identity.privateKey, identity.publicKey, noise);
  if (first === null) return null;
  const peer = dev.peers.get(toHex(first.remoteStatic));
  if (peer === undefined) return null;
  const hs = peer.handshake;
  if (hs.precomputedStaticStatic === null) return null;
  const timestamp = readMessage1Payload(dev.crypto, s, hs.precomputedStaticStatic, noise);
  if (timestamp === null) return null;
  // Replay: only a strictly newer timestamp. Flood: at most one per 20 ms.
  if (compareTai64n(timestamp, hs.lastTimestamp) <= 0) return null;
  if (now - hs.lastInitiationConsumption <= HANDSHAKE_INITIATION_RATE) return null;
  // A new initiation replaces whatever handshake was in progress.
  dev.clearHandshake(peer);
  hs.noise = s;
  hs.remoteIndex = readU32(msg, INITIATION_SENDER);
  hs.remoteEphemeral = first.remoteEphemeral;
  hs.lastTimestamp = timestamp;
  hs.lastInitiationConsumption = now;
  hs.state = HandshakeState.InitiationConsumed;
  return peer;
}

/** Builds the response (without macs) to a consumed initiation, or null. */
export function createResponse(dev: DeviceContext, peer: Peer): Uint8Array | null {
  const hs = peer.handshake;
  if (hs.state !== HandshakeState.InitiationConsumed || hs.noise === null || hs.remoteEphemeral === null) {
    return null;
  }
  const ephemeral = dev.crypto.generatePrivateKey();
  const msg = new Uint8Array(RESPONSE_SIZE);
  writeU32(msg, 0, MESSAGE_RESPONSE);
  writeU32(msg, RESPONSE_RECEIVER, hs.remoteIndex);
  const s = cloneState(hs.noise);
  const ok = writeMessage2(dev.crypto, s, {
    ephemeralPrivate: ephemeral,
    remoteEphemeral: hs.remoteEphemeral,
    remoteStaticPublic: peer.publicKey,
    presharedKey: hs.presharedKey,
    payload: EMPTY,
  }, msg, RESPONSE_NOISE);
  if (!ok) return null;
  if (hs.localIndex !== null) dev.indexTable.delete(hs.localIndex);
  hs.localIndex = dev.indexTable.newIndex({ peer, keypair: null });
  writeU32(msg, RESPONSE_SENDER, hs.localIndex);
  hs.noise = s;
  hs.localEphemeral = ephemeral;
  hs.state = HandshakeState.ResponseCreated;
  return msg;
}

/** Authenticates a response (whose mac1 was checked) to our initiation and
 *  returns its peer, or null. */
export function consumeResponse(dev: DeviceContext, msg: Uint8Array,
  onUndecryptable: (peer: Peer) => void = () => {}): Peer | null {
  const identity = dev.identity;
  if (identity === null) return null;
  const entry = dev.indexTable.get(readU32(msg, RESPONSE_RECEIVER));
  if (entry === undefined || entry.keypair !== null) return null;
  const peer = entry.peer;
  const hs = peer.handshake;
  if (hs.state !== HandshakeState.InitiationCreated || hs.noise === null || hs.localEphemeral === null) {
    return null;
  }
  const s = cloneState(hs.noise);
  const payload = readMessage2(dev.crypto, s, hs.localEphemeral, identity.privateKey, hs.presharedKey,
    msg.subarray(RESPONSE_NOISE, RESPONSE_SIZE - 2 * MAC_SIZE));
  if (payload === null) {
    // Only a failed AEAD means the keys differ; a low-order ephemeral is a forgery.
    const ephemeral = msg.subarray(RESPONSE_NOISE, RESPONSE_NOISE + KEY_SIZE);
    if (dev.crypto.dh(hs.localEphemeral, ephemeral) !== null) onUndecryptable(peer);
    return null;
  }
  hs.noise = s;
  hs.remoteIndex = readU32(msg, RESPONSE_SENDER);
  hs.state = HandshakeState.ResponseConsumed;
  return peer;
}

/** Derives the transport keypair from a finished handshake, moves the
 *  handshake's index over to it and installs it in the peer's rotation. */
export function beginSymmetricSession(dev: DeviceContext, peer: Peer,
  now: number): Keypair | null {
  const hs = peer.handshake;
  const isInitiator = hs.state === HandshakeState.ResponseConsumed;
  if ((!isInitiator && hs.state !== HandshakeState.ResponseCreated) || hs.noise === null
    || hs.localIndex === null) {
    return null;
  }
  const [first, second] = split(dev.crypto, hs.noise);
  const [sendKey, receiveKey] = isInitiator ? [first, second] : [second, first];
  const kp = new Keypair(sendKey, receiveKey, isInitiator, now, hs.localIndex, hs.remoteIndex);
  dev.indexTable.swap(hs.localIndex, { peer, keypair: kp });
  hs.localIndex = null; // the index now belongs to the keypair
  hs.clear();
  peer.keypairs.install(kp);
  return kp;
}
