// Every diagnosis reaches a Japanese UI in Japanese: the app words it from its
// code and details (shared/diagnosis/), never from the helper's English
// `message`. The banner, the timeline (renderer i18n), the tray and the
// notifications (tray strings) all say it through the same words.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../../../../renderer/lib/i18n/en.js';
import { ja } from '../../../../../renderer/lib/i18n/ja.js';
import { trayStrings } from '../../../../../electron/app-core/tray/tray-strings.js';
import { DIAGNOSIS_CODES } from '../../../../../shared/control/protocol.js';
import type { Diagnosis } from '../../../../../shared/ipc/types.js';

const KEY = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/abcd=';
const HELPER_ENGLISH = 'English from the helper';

/** Representative details for each code, as the helper sends them (health.ts, recovery.ts, tunnel-manager.ts). */
const SAMPLES: Record<Diagnosis['code'], Diagnosis[]> = {
  'no-reply': [
    { code: 'no-reply', message: HELPER_ENGLISH, publicKey: KEY, endpoint: '192.0.2.1:51820', evidence: 'no-reply', waitedSeconds: 16, sentBytes: 444, windowSeconds: 16 },
    { code: 'no-reply', message: HELPER_ENGLISH, publicKey: KEY, endpoint: 'vpn.example.com:51820', evidence: 'silent', waitedSeconds: 200, peerCount: 3 },
  ],
  'peer-under-load': [{ code: 'peer-under-load', message: HELPER_ENGLISH, publicKey: KEY, endpoint: '[2001:db8::1]:51820', evidence: 'cookie-reply', waitedSeconds: 20 }],
  'key-mismatch': [
    { code: 'key-mismatch', message: HELPER_ENGLISH, publicKey: KEY, endpoint: '192.0.2.1:51820', evidence: 'reply-failed', waitedSeconds: 20 },
    { code: 'key-mismatch', message: HELPER_ENGLISH, publicKey: KEY, endpoint: '192.0.2.1:51820', evidence: 'replies-no-handshake', handshakeAgeSeconds: 190 },
  ],
  'handshake-expired': [{ code: 'handshake-expired', message: HELPER_ENGLISH, publicKey: KEY, endpoint: '192.0.2.1:51820', evidence: 'silent', handshakeAgeSeconds: 185 }],
  'endpoint-unresolved': [{ code: 'endpoint-unresolved', message: HELPER_ENGLISH, endpoint: 'vpn.example.com' }],
  'engine-stopped': [
    { code: 'engine-stopped', message: HELPER_ENGLISH, engineStop: 'helper-away' },
    { code: 'engine-stopped', message: HELPER_ENGLISH, engineStop: 'kill-switch-held' },
    { code: 'engine-stopped', message: HELPER_ENGLISH, engineStop: 'turned-off' },
  ],
  // The diagnoses whose only detail is the helper's (or the system's) own words: quoted as such.
  'setup-failed': [{ code: 'setup-failed', message: 'line 3: AllowedIPs overlaps 10.0.0.0/8' }],
  'teardown-failed': [{ code: 'teardown-failed', message: 'Could not turn off: ip: RTNETLINK answers: Operation not permitted' }],
  'resumed-from-sleep': [{ code: 'resumed-from-sleep', message: HELPER_ENGLISH, tried: ['re-bound', 're-handshaken'] }],
  'dead-tunnel': [{ code: 'dead-tunnel', message: HELPER_ENGLISH, tried: ['re-resolved', 're-bound', 're-handshaken'], deadSeconds: 20 }],
  'helper-lost': [{ code: 'helper-lost', message: HELPER_ENGLISH }],
  'helper-outdated': [{ code: 'helper-outdated', message: HELPER_ENGLISH }],
};

/** Names the Japanese text may keep in Latin letters: the product, protocols, and .conf keys the user edits. */
const NAMES = /WireDesk|UDP|DNS|PublicKey|PresharedKey|Endpoint/g;

/** What is left of a Japanese text once the details it quotes and the allowed names are taken out. */
function latinLeft(text: string, d: Diagnosis): string[] {
  let rest = text;
  const quoted = [d.endpoint, d.publicKey?.slice(0, 8), d.code === 'setup-failed' || d.code === 'teardown-failed' ? d.message : undefined];
  for (const q of quoted) if (q) rest = rest.split(q).join('');
  return rest.replace(NAMES, '').match(/[A-Za-z]+/g) ?? [];
}

describe('diagnosis wording', () => {
  const codes = [...DIAGNOSIS_CODES, 'helper-lost', 'helper-outdated'] as const;

  it('has representative details for every code in the protocol', () => {
    for (const code of codes) assert.ok(SAMPLES[code]?.length, `no sample for ${code}`);
  });

  for (const code of codes) {
    it(`words ${code} in English and in Japanese, from its details`, () => {
      for (const d of SAMPLES[code]) {
        for (const t of [en, ja]) assert.equal(trayStrings(t === en ? 'en' : 'ja').diagnosis(d), t.diagnosis(d), 'tray and window say the same');
        const english = en.diagnosis(d);
        const japanese = ja.diagnosis(d);
        assert.ok(!english.includes(HELPER_ENGLISH) && !japanese.includes(HELPER_ENGLISH), `${code} quotes the helper's message`);
        assert.match(english, /^[A-Z].*[.)]$/s, `English is a complete sentence: ${english}`);
        assert.doesNotMatch(english, /undefined|NaN|\$\{/, english);
        assert.doesNotMatch(japanese, /undefined|NaN|\$\{/, japanese);
        assert.deepEqual(latinLeft(japanese, d), [], `English left in Japanese: ${japanese}`);
        assert.match(japanese, /[。）]$/, `Japanese ends a sentence: ${japanese}`);
        if (d.endpoint) {
          assert.ok(english.includes(d.endpoint) && japanese.includes(d.endpoint), `${code} names ${d.endpoint}`);
        }
      }
    });
  }

  it('says the numbers the details carry', () => {
    const [noReply] = SAMPLES['no-reply'];
    assert.equal(en.diagnosis(noReply!),
      'No handshake completed within 16 seconds of connecting. No reply from 192.0.2.1:51820: 444 bytes of handshake attempts were sent in the last 16 seconds ' +
      'and nothing came back. UDP may be blocked (by a firewall or the network), or the endpoint is wrong. If the endpoint is right, check the keys: ' +
      'a peer silently ignores handshakes it cannot authenticate, so keys that do not match look the same.');
    assert.match(ja.diagnosis(noReply!), /^接続してから 16 秒以内にハンドシェイクが完了しませんでした。192\.0\.2\.1:51820 から応答がありません。直近 16 秒間にハンドシェイクを 444 バイト送信しました/);
    const expired = SAMPLES['handshake-expired'][0]!;
    assert.match(en.diagnosis(expired), /^The latest handshake was 3 minutes, 5 seconds ago/);
    assert.match(ja.diagnosis(expired), /^最後のハンドシェイクは 3 分 5 秒前で/);
  });

  it('names the peer by its key when the tunnel has several', () => {
    const several = SAMPLES['no-reply'][1]!;
    assert.match(en.diagnosis(several), /^Peer AbCdEfGh…: No handshake completed within 3 minutes, 20 seconds of connecting\. Nothing was sent to vpn\.example\.com:51820/);
    assert.match(ja.diagnosis(several), /^ピア AbCdEfGh…: 接続してから 3 分 20 秒以内に/);
    assert.doesNotMatch(en.diagnosis({ ...several, peerCount: 1 }), /Peer AbCd/);
  });

  it('says what was tried after a dead spell', () => {
    const dead = SAMPLES['dead-tunnel'][0]!;
    assert.equal(en.diagnosis(dead),
      'Traffic was waiting, but no handshake completed for 20 seconds, so WireDesk reconnected the tunnel. What WireDesk tried: ' +
      'looked up the endpoint host name again, re-opened the UDP socket, started a new handshake.');
    assert.match(ja.diagnosis(dead), /20 秒間ハンドシェイクが完了しなかった.*エンドポイントのホスト名を再解決/);
  });

  it('still words a diagnosis from an older helper that sent no details', () => {
    for (const code of DIAGNOSIS_CODES) {
      const bare = { code, message: 'getaddrinfo EAI_AGAIN' } as Diagnosis;
      const japanese = ja.diagnosis(bare);
      assert.doesNotMatch(japanese + en.diagnosis(bare), /undefined|NaN/);
      // Only the unresolved endpoint and the failures to switch on or off fall back on quoting the helper's words.
      const quoted = code === 'endpoint-unresolved' || code === 'setup-failed' || code === 'teardown-failed' ? bare.message : '';
      assert.deepEqual((quoted ? japanese.split(quoted).join('') : japanese).replace(NAMES, '').match(/[A-Za-z]+/g) ?? [], [], japanese);
    }
  });
});
