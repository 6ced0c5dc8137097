import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  HANDSHAKE_GRACE_MS, HANDSHAKE_STALE_MS, assessPeer, assessTunnel, counterDelta, diagnoseUpFailure, type CounterSample, type PeerHealthInput,
} from '../../../../tunnel-helper/src/helper/tunnels/health.js';
import { describeDiagnosis } from '../../../../shared/diagnosis/describe.js';
import { diagnosisEn } from '../../../../shared/diagnosis/en.js';

const KEY = 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=';
const KEY2 = 'v/mqdX/p062Tnl4+M2UOPAhDeIsZoY2cWeM400+ABkI=';
const UP = 1_000_000;

/** One counter sample a second from `from` to `to` (ms after up), with rx/tx growing per second. */
function history(from: number, to: number, rxPerS: number, txPerS: number): CounterSample[] {
  const out: CounterSample[] = [];
  for (let t = from; t <= to; t += 1000) out.push({ at: UP + t, rxBytes: (rxPerS * t) / 1000, txBytes: (txPerS * t) / 1000 });
  return out;
}

function peer(over: Partial<PeerHealthInput> = {}): PeerHealthInput {
  return { publicKey: KEY, endpoint: '192.0.2.1:51820', latestHandshake: null, history: [], ...over };
}

describe('handshake-aware health', () => {
  it('is connecting until the first handshake, for at most 15 s', () => {
    const h = assessTunnel([peer({ history: history(0, 14_000, 0, 30) })], UP, UP + HANDSHAKE_GRACE_MS - 1);
    assert.equal(h.state, 'connecting');
    assert.match(h.reason, /Waiting for the first handshake with 192\.0\.2\.1:51820/);
    assert.equal(h.diagnosis, null);
  });

  it('is up only after a handshake newer than the up time', () => {
    assert.equal(assessTunnel([peer({ latestHandshake: UP + 300 })], UP, UP + 1000).state, 'up');
    // A handshake from before this up (an old interface's counters) does not count.
    assert.equal(assessTunnel([peer({ latestHandshake: UP - 60_000 })], UP, UP + 1000).state, 'connecting');
  });

  it('is degraded with "no reply" when handshakes go out and nothing comes back', () => {
    const now = UP + HANDSHAKE_GRACE_MS;
    const h = assessTunnel([peer({ history: history(0, 15_000, 0, 30) })], UP, now);
    assert.equal(h.state, 'degraded');
    assert.equal(h.diagnosis?.code, 'no-reply');
    assert.equal(h.diagnosis?.publicKey, KEY);
    assert.match(h.reason, /^No handshake completed within 15 seconds of connecting\. No reply from 192\.0\.2\.1:51820: 450 bytes of handshake attempts were sent in the last 15 seconds/);
    assert.match(h.reason, /UDP may be blocked .* or the endpoint is wrong/);
    assert.match(h.reason, /keys that do not match look the same/);
  });

  it('says the peer is under load when it answered with a cookie', () => {
    const v = assessPeer(peer({ history: history(0, 20_000, 64, 148), cookieAt: UP + 18_000 }), UP, UP + 20_000);
    assert.equal(v.kind, 'degraded');
    assert.equal(v.kind === 'degraded' && v.diagnosis.code, 'peer-under-load');
    assert.match(v.kind === 'degraded' ? v.diagnosis.message : '', /cookie reply: the server is under load/);
  });

  it('blames the keys when a reply arrives but fails to verify', () => {
    const v = assessPeer(peer({ history: history(0, 20_000, 92, 148), invalidReplyAt: UP + 19_000 }), UP, UP + 20_000);
    assert.equal(v.kind === 'degraded' && v.diagnosis.code, 'key-mismatch');
    assert.match(v.kind === 'degraded' ? v.diagnosis.message : '', /failed to authenticate: the keys do not match/);
  });

  it('suspects the keys when packets come back but no handshake completes', () => {
    const v = assessPeer(peer({ history: history(0, 20_000, 10, 148) }), UP, UP + 20_000);
    assert.equal(v.kind === 'degraded' && v.diagnosis.code, 'key-mismatch');
  });

  it('ignores a cookie seen before this up', () => {
    const v = assessPeer(peer({ history: history(0, 20_000, 0, 148), cookieAt: UP - 5_000 }), UP, UP + 20_000);
    assert.equal(v.kind === 'degraded' && v.diagnosis.code, 'no-reply');
  });

  it('degrades when the latest handshake is older than 180 s, saying how old', () => {
    const hs = UP + 5_000;
    const now = hs + HANDSHAKE_STALE_MS + 1_000;
    const h = assessTunnel([peer({ latestHandshake: hs, history: history(150_000, 186_000, 0, 30) })], UP, now);
    assert.equal(h.state, 'degraded');
    assert.match(h.reason, /^The latest handshake was 3 minutes, 1 seconds ago, and sessions expire after 3 minutes\. No reply from/);
    assert.equal(assessTunnel([peer({ latestHandshake: hs })], UP, hs + HANDSHAKE_STALE_MS).state, 'up', 'exactly 180 s is still fresh');
  });

  it('calls an expired session with no traffic at all "handshake-expired"', () => {
    const hs = UP + 5_000;
    const now = hs + 200_000;
    const v = assessPeer(peer({ latestHandshake: hs, history: history(170_000, 205_000, 0, 0) }), UP, now);
    assert.equal(v.kind === 'degraded' && v.diagnosis.code, 'handshake-expired');
  });

  it('waits without a diagnosis for peers that have no endpoint (they must reach us)', () => {
    const h = assessTunnel([peer({ endpoint: null })], UP, UP + 60_000);
    assert.equal(h.state, 'connecting');
    assert.match(h.reason, /no peer has an Endpoint/);
    assert.equal(assessTunnel([peer({ endpoint: null, latestHandshake: UP + 50_000 })], UP, UP + 60_000).state, 'up');
  });

  it('with several peers, is up only when every reachable peer is, and names the one that is not', () => {
    const good = peer({ publicKey: KEY2, latestHandshake: UP + 1000 });
    const bad = peer({ history: history(0, 16_000, 0, 30) });
    assert.equal(assessTunnel([good, peer({ endpoint: null })], UP, UP + 16_000).state, 'up');
    const h = assessTunnel([good, bad], UP, UP + 16_000);
    assert.equal(h.state, 'degraded');
    assert.match(h.reason, /^Peer pWp0D61O…: No handshake completed/);
  });

  it('measures counters over the last 30 s', () => {
    const hs = history(0, 100_000, 10, 20);
    assert.deepEqual(counterDelta(hs, UP + 100_000), { rx: 310, tx: 620, seconds: 31 });
    assert.deepEqual(counterDelta([], UP), { rx: 0, tx: 0, seconds: 0 });
  });

  it('turns a failed name lookup into "endpoint could not be resolved"', () => {
    const d = diagnoseUpFailure('cannot resolve vpn.example.invalid: getaddrinfo ENOTFOUND vpn.example.invalid.');
    assert.equal(d.code, 'endpoint-unresolved');
    assert.match(d.message, /^The endpoint could not be resolved: .* Check the Endpoint host name/);
    assert.equal(d.endpoint, 'vpn.example.invalid');
    assert.equal(diagnoseUpFailure('could not resolve endpoint host vpn.example.com: no such host; check the Endpoint line and your DNS').endpoint, 'vpn.example.com');
    assert.deepEqual(diagnoseUpFailure('RTNETLINK answers: File exists'), { code: 'setup-failed', message: 'RTNETLINK answers: File exists' });
  });

  it('sends the details the app words each diagnosis from, saying what the English says', () => {
    const hs = UP + 5_000;
    const cases: [PeerHealthInput[], number, Record<string, unknown>][] = [
      [[peer({ history: history(0, 15_000, 0, 30) })], UP + 15_000,
        { code: 'no-reply', evidence: 'no-reply', endpoint: '192.0.2.1:51820', waitedSeconds: 15, sentBytes: 450, windowSeconds: 15, peerCount: 1 }],
      [[peer({ history: history(0, 20_000, 64, 148), cookieAt: UP + 18_000 })], UP + 20_000, { code: 'peer-under-load', evidence: 'cookie-reply' }],
      [[peer({ history: history(0, 20_000, 92, 148), invalidReplyAt: UP + 19_000 })], UP + 20_000, { code: 'key-mismatch', evidence: 'reply-failed' }],
      [[peer({ history: history(0, 20_000, 10, 148) })], UP + 20_000, { code: 'key-mismatch', evidence: 'replies-no-handshake' }],
      [[peer({ latestHandshake: hs, history: history(170_000, 205_000, 0, 0) })], hs + 200_000,
        { code: 'handshake-expired', evidence: 'silent', handshakeAgeSeconds: 200 }],
      [[peer({ publicKey: KEY2, latestHandshake: UP + 1000 }), peer({ history: history(0, 16_000, 0, 30) })], UP + 16_000, { code: 'no-reply', peerCount: 2, publicKey: KEY }],
    ];
    for (const [peers, now, want] of cases) {
      const d = assessTunnel(peers, UP, now).diagnosis;
      assert.ok(d, JSON.stringify(want));
      for (const [k, v] of Object.entries(want)) assert.equal(d[k as keyof typeof d], v, `${String(want.code)}.${k}`);
      // The app's English, from the details alone, is the helper's own sentence: nothing is lost on the way.
      assert.equal(describeDiagnosis({ ...d, message: '' }, diagnosisEn), d.message);
    }
  });
});
