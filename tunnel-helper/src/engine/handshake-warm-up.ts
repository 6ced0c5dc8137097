// A handshake between two throwaway identities, run by a spare engine while
// it waits for its name. Every primitive a real handshake uses has a costly
// first call (OpenSSL's first X25519 and ChaCha20-Poly1305 decrypt, @noble's
// keyed BLAKE2s, code V8 has not compiled yet): together about 5 ms that the
// first ping after a connect would otherwise wait for. No key here is used again.
import type { Crypto } from './core/crypto.js';
import { KEY_SIZE } from './core/constants.js';
import { initialState, message1Length, message2Length, readMessage1Payload, readMessage1Static, readMessage2, split, writeMessage1, writeMessage2, WG_IDENTIFIER } from './core/noise-ikpsk2.js';

/** True when the two sides agreed on their transport keys (false only if the crypto is broken). */
export function warmUpHandshake(crypto: Crypto): boolean {
  const prologue = new TextEncoder().encode(WG_IDENTIFIER);
  const initiator = crypto.generatePrivateKey();
  const responder = crypto.generatePrivateKey();
  const initiatorPublic = crypto.publicKey(initiator);
  const responderPublic = crypto.publicKey(responder);
  const staticStatic = crypto.dh(initiator, responderPublic);
  if (staticStatic === null) return false;
  const psk = new Uint8Array(KEY_SIZE);

  const i = initialState(crypto, prologue);
  const r = initialState(crypto, prologue);
  const ephemeral = crypto.generatePrivateKey();
  const message1 = new Uint8Array(message1Length(12));
  const payload = crypto.randomBytes(12);
  if (!writeMessage1(crypto, i, { localStaticPublic: initiatorPublic, remoteStaticPublic: responderPublic, ephemeralPrivate: ephemeral, staticStatic, payload }, message1, 0)) return false;
  crypto.mac(staticStatic, message1); // as mac1 is computed over each message
  const first = readMessage1Static(crypto, r, responder, responderPublic, message1);
  if (first === null || readMessage1Payload(crypto, r, staticStatic, message1) === null) return false;

  const message2 = new Uint8Array(message2Length(0));
  const written = writeMessage2(crypto, r, { ephemeralPrivate: crypto.generatePrivateKey(), remoteEphemeral: first.remoteEphemeral, remoteStaticPublic: first.remoteStatic, presharedKey: psk, payload: new Uint8Array(0) }, message2, 0);
  if (!written || readMessage2(crypto, i, ephemeral, initiator, psk, message2) === null) return false;
  // The first key of each split: the initiator sends with it, the responder receives with it.
  const [sent] = split(crypto, i);
  const [received] = split(crypto, r);
  return sent.every((b, n) => b === received[n]);
}
