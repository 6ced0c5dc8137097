// Handshake-aware tunnel health, as a pure function of samples and `now`.
//
// A peer is healthy once a handshake completed after the tunnel came up and
// is at most 180 s old (RejectAfterTime: older keys carry no traffic). It is
// degraded when none completed within 15 s of up, or the latest one is older
// than 180 s. The diagnosis comes from the counters and the engine's events
// (shared/engine-events), in the order of how specific the evidence is:
//   cookie reply seen        -> the peer is under load
//   a reply failed to verify -> the keys do not match
//   tx grows, rx does not    -> no reply: UDP blocked or wrong endpoint (or keys)
//   rx grows, no handshake   -> replies arrive but no handshake: keys
import type { Diagnosis, TunnelState } from '../../../../shared/control/protocol.js';

export const HANDSHAKE_GRACE_MS = 15_000;
export const HANDSHAKE_STALE_MS = 180_000;
/** How far back counters and engine events count as evidence. */
export const EVIDENCE_WINDOW_MS = 30_000;

export interface CounterSample { at: number; rxBytes: number; txBytes: number }

export interface PeerHealthInput {
  publicKey: string;
  endpoint: string | null;
  latestHandshake: number | null;
  /** Counter samples, oldest first, newest last (the monitor keeps ~a minute). */
  history: readonly CounterSample[];
  /** When the engine last reported a cookie reply and an invalid handshake response, if ever. */
  cookieAt?: number;
  invalidReplyAt?: number;
}

export type PeerVerdict =
  | { kind: 'ok' }
  | { kind: 'waiting' }
  | { kind: 'idle' } // no endpoint: it has to reach us first, nothing to diagnose
  | { kind: 'degraded'; diagnosis: Diagnosis };

export interface TunnelHealth {
  state: Extract<TunnelState, 'connecting' | 'up' | 'degraded'>;
  reason: string;
  diagnosis: Diagnosis | null;
}

export function isFreshHandshake(hs: number | null, upAt: number, now: number): boolean {
  // The engine started with the tunnel, so any handshake it reports is after
  // up; the 1 s slack absorbs clock rounding between the two processes.
  return hs !== null && hs > 0 && hs >= upAt - 1000 && now - hs <= HANDSHAKE_STALE_MS;
}

/**
 * `graceUntil` is when a missing handshake starts to count (15 s after up;
 * later for a tunnel adopted after a helper restart, see TunnelMonitor).
 */
export function assessPeer(p: PeerHealthInput, upAt: number, now: number, graceUntil = upAt + HANDSHAKE_GRACE_MS): PeerVerdict {
  if (isFreshHandshake(p.latestHandshake, upAt, now)) return { kind: 'ok' };
  const hadOne = p.latestHandshake !== null && p.latestHandshake >= upAt - 1000;
  if (!hadOne) {
    if (p.endpoint === null) return { kind: 'idle' };
    if (now < graceUntil) return { kind: 'waiting' };
  }
  return { kind: 'degraded', diagnosis: diagnosePeer(p, upAt, now, hadOne) };
}

/** Bytes sent and received over the evidence window (or since up, if shorter). */
export function counterDelta(history: readonly CounterSample[], now: number): { rx: number; tx: number; seconds: number } {
  const last = history[history.length - 1];
  if (!last) return { rx: 0, tx: 0, seconds: 0 };
  const from = history.find((s) => s.at >= now - EVIDENCE_WINDOW_MS) ?? last;
  // Use the sample just before the window when there is one, so a window
  // boundary cannot swallow the first packets.
  const i = history.indexOf(from);
  const base = i > 0 ? history[i - 1]! : from;
  return { rx: last.rxBytes - base.rxBytes, tx: last.txBytes - base.txBytes, seconds: Math.round((last.at - base.at) / 1000) };
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} seconds`;
  const m = Math.floor(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}, ${s % 60} seconds`;
}

export function diagnosePeer(p: PeerHealthInput, upAt: number, now: number, hadOne: boolean): Diagnosis {
  const where = p.endpoint ?? 'the peer';
  const recent = (t: number | undefined) => t !== undefined && t >= Math.max(upAt, now - EVIDENCE_WINDOW_MS * 2);
  const prefix = hadOne && p.latestHandshake !== null
    ? `The latest handshake was ${ago(now - p.latestHandshake)} ago, and sessions expire after 3 minutes. `
    : `No handshake completed within ${ago(now - upAt)} of connecting. `;
  // The details let the app word it in the user's language; `message` is the English for logs.
  const since = hadOne && p.latestHandshake !== null
    ? { handshakeAgeSeconds: Math.max(0, Math.round((now - p.latestHandshake) / 1000)) }
    : { waitedSeconds: Math.max(0, Math.round((now - upAt) / 1000)) };
  const d = (code: Diagnosis['code'], evidence: NonNullable<Diagnosis['evidence']>, text: string, extra: Partial<Diagnosis> = {}): Diagnosis => ({
    code, message: prefix + text, publicKey: p.publicKey, evidence, ...since, ...(p.endpoint ? { endpoint: p.endpoint } : {}), ...extra,
  });

  if (recent(p.cookieAt)) {
    return d('peer-under-load', 'cookie-reply', `${where} answered with a cookie reply: the server is under load and is rate-limiting handshakes. ` +
      'WireDesk keeps retrying; if this lasts more than a few minutes, the server is overloaded or under attack.');
  }
  if (recent(p.invalidReplyAt)) {
    return d('key-mismatch', 'reply-failed', `A reply came from ${where} but failed to authenticate: the keys do not match. ` +
      "Check that the peer's PublicKey is the server's public key, that the server has this tunnel's public key, and that both use the same PresharedKey.");
  }
  const delta = counterDelta(p.history, now);
  if (delta.tx > 0 && delta.rx === 0) {
    return d('no-reply', 'no-reply', `No reply from ${where}: ${delta.tx} bytes of handshake attempts were sent in the last ${delta.seconds} seconds and nothing came back. ` +
      'UDP may be blocked (by a firewall or the network), or the endpoint is wrong. If the endpoint is right, check the keys: ' +
      'a peer silently ignores handshakes it cannot authenticate, so keys that do not match look the same.', { sentBytes: delta.tx, windowSeconds: delta.seconds });
  }
  if (delta.rx > 0) {
    return d('key-mismatch', 'replies-no-handshake', `${where} sends packets, but no handshake completes. The keys may not match: ` +
      "check the peer's PublicKey and PresharedKey against the server's configuration.");
  }
  return d(hadOne ? 'handshake-expired' : 'no-reply', 'silent', `Nothing was sent to ${where} or received from it recently. ` +
    'The tunnel may be idle with no traffic to start a handshake; WireDesk will retry. If it stays like this, check the Endpoint.');
}

/** The tunnel's state: up when every peer with an endpoint is healthy. */
export function assessTunnel(peers: readonly PeerHealthInput[], upAt: number, now: number, graceUntil = upAt + HANDSHAKE_GRACE_MS): TunnelHealth {
  const verdicts = peers.map((p) => ({ p, v: assessPeer(p, upAt, now, graceUntil) }));
  const bad = verdicts.find((x) => x.v.kind === 'degraded');
  if (bad && bad.v.kind === 'degraded') {
    const who = peers.length > 1 ? `Peer ${bad.p.publicKey.slice(0, 8)}…: ` : '';
    const diagnosis = { ...bad.v.diagnosis, message: who + bad.v.diagnosis.message, peerCount: peers.length };
    return { state: 'degraded', reason: diagnosis.message, diagnosis };
  }
  const reachable = verdicts.filter((x) => x.v.kind !== 'idle');
  if (reachable.length > 0 && reachable.every((x) => x.v.kind === 'ok')) {
    return { state: 'up', reason: 'Connected: the handshake with the peer completed.', diagnosis: null };
  }
  if (reachable.length === 0) {
    return verdicts.some((x) => x.v.kind === 'ok')
      ? { state: 'up', reason: 'Connected: a peer completed a handshake.', diagnosis: null }
      : { state: 'connecting', reason: 'Waiting for a peer to connect: no peer has an Endpoint, so this side cannot start a handshake.', diagnosis: null };
  }
  const first = reachable.find((x) => x.v.kind === 'waiting');
  return { state: 'connecting', reason: `Waiting for the first handshake with ${first?.p.endpoint ?? 'the peer'}.`, diagnosis: null };
}

/** A diagnosis for a tunnel that could not be brought up at all. */
export function diagnoseUpFailure(message: string): Diagnosis {
  if (/resolv|ENOTFOUND|EAI_AGAIN|EAI_NONAME|getaddrinfo|name or service not known|host name/i.test(message)) {
    const advice = /check/i.test(message) ? '' : ' Check the Endpoint host name, and that DNS works without the tunnel.';
    // wg-setconf.ts says "could not resolve endpoint host <host>: ..."; the app names the host.
    const name = '([A-Za-z0-9.-]*[A-Za-z0-9])';
    const host = new RegExp(`endpoint host ${name}`, 'i').exec(message)?.[1] ?? new RegExp(`ENOTFOUND ${name}`).exec(message)?.[1];
    return { code: 'endpoint-unresolved', message: `The endpoint could not be resolved: ${message.replace(/\.?$/, '.')}${advice}`, ...(host ? { endpoint: host.slice(0, 300) } : {}) };
  }
  return { code: 'setup-failed', message };
}
