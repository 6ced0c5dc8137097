// What a spare engine does while it waits for its order: pay the first-use
// costs that its first configuration and first handshake would otherwise
// pay, one step per event-loop turn (1-3 ms each, the first time), so an
// order that arrives waits for one step at most. Once the order has come, the rest is
// dropped: the engine's own first handshake follows at once, and a warm-up
// then would only delay it.
import { nodeCrypto } from './crypto-node.js';
import { handshakeWarmUp } from './handshake-warm-up.js';

/** One turn's work; true when it has more to do on the next turn. */
export type Step = () => boolean | void;

const STEPS: Step[] = [
  // The first configuration's X25519: a private key decoded, its public key, a static-static DH.
  () => void nodeCrypto.dh(nodeCrypto.generatePrivateKey(), nodeCrypto.publicKey(nodeCrypto.generatePrivateKey())),
  // Everything else a handshake runs (handshake-warm-up.ts), a message a turn.
  inTurns(() => handshakeWarmUp(nodeCrypto)),
];

/** Starts the steps; the function returned stops them after the current one. */
export function startSpareWarmUp(steps: readonly Step[] = STEPS): () => void {
  const left = [...steps];
  let stopped = false;
  const next = (): void => {
    if (stopped) return;
    if (left[0]?.() !== true) left.shift();
    if (left.length > 0) setImmediate(next);
  };
  setImmediate(next);
  return () => { stopped = true; };
}

function inTurns(start: () => Generator<void, unknown>): Step {
  let steps: Generator<void, unknown> | null = null;
  return () => !(steps ??= start()).next().done;
}
