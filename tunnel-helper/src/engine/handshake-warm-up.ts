// A handshake between two throwaway DeviceCores in memory, run by a spare
// engine while it waits for its order. Every part a real first handshake
// uses has a costly first call: OpenSSL's first X25519 and ChaCha20-Poly1305
// decrypt, @noble's keyed BLAKE2s, and the core's own code, which V8 has not
// compiled yet. Together about 5 ms that the first ping after a connect
// would otherwise wait for. The data packet goes through a cipher that only
// adds the tag's room: the real one loads after the order (crypto-transport.ts),
// and no key here is ever used again.
import type { Action } from './core/actions.js';
import type { Crypto, TransportCipher } from './core/crypto.js';
import { AEAD_TAG_SIZE } from './core/constants.js';
import { DeviceCore } from './core/device-core.js';
import { Endpoint } from './core/endpoint.js';

const PASS_THROUGH: TransportCipher = {
  sealInPlace: () => {},
  openInPlace: (_key, _counter, _buf, _off, len) => len - AEAD_TAG_SIZE,
};

/** True when the responder received the initiator's packet: the handshake completed (false only if the crypto is broken). */
export function warmUpHandshake(crypto: Crypto): boolean {
  const steps = handshakeWarmUp(crypto);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The same, pausing after the keys and after each message (1-3 ms each, the first time). */
export function* handshakeWarmUp(crypto: Crypto): Generator<void, boolean> {
  const now = 1_000;
  const wallNow = Date.now();
  const initiator = new DeviceCore(crypto, PASS_THROUGH);
  const responder = new DeviceCore(crypto, PASS_THROUGH);
  const iKey = crypto.generatePrivateKey();
  const rKey = crypto.generatePrivateKey();
  initiator.setPrivateKey(iKey);
  responder.setPrivateKey(rKey);
  const at = { initiator: Endpoint.parse('192.0.2.1:51820'), responder: Endpoint.parse('192.0.2.2:51820') };
  const toResponder = initiator.addPeer(crypto.publicKey(rKey), { endpoint: at.responder });
  if (toResponder === null || responder.addPeer(crypto.publicKey(iKey)) === null) return false;
  yield;

  const packet = new Uint8Array(84);
  packet.set([0x45, 0, 0, 84, 0, 0, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
  const context = { underLoad: () => false };
  const datagrams = (actions: Action[]) => actions.flatMap((a) => (a.type === 'send-datagram' || a.type === 'send-to-source' ? [a.data] : []));
  let received = false;
  // Initiation, response, then the staged packet: each side's datagrams go to the other.
  let inFlight = datagrams(initiator.send(toResponder, packet, now, wallNow)).map((data) => ({ to: responder, from: at.initiator, data }));
  yield;
  for (let hop = 0; hop < 6 && inFlight.length > 0; hop++) {
    const next: typeof inFlight = [];
    for (const d of inFlight) {
      const actions = d.to.receive(d.data, d.from, now, wallNow, context);
      received ||= actions.some((a) => a.type === 'write-tun' && a.packet.length === packet.length && a.packet.every((b, i) => b === packet[i]));
      const [to, from] = d.to === responder ? [initiator, at.responder] : [responder, at.initiator];
      for (const data of datagrams(actions)) next.push({ to, from, data });
      yield;
    }
    inFlight = next;
  }
  return received;
}
