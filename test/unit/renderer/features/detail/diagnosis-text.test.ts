// The recovery diagnoses reach a Japanese UI in Japanese: they are worded in
// the renderer from their code and details, not from the helper's English.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { en } from '../../../../../renderer/lib/i18n/en.js';
import { ja } from '../../../../../renderer/lib/i18n/ja.js';
import { diagnosisText } from '../../../../../renderer/features/detail/diagnosis-text.js';
import type { Diagnosis } from '../../../../../shared/ipc/types.js';

describe('diagnosisText', () => {
  const dead: Diagnosis = { code: 'dead-tunnel', message: 'English from the helper', tried: ['re-resolved', 're-bound', 're-handshaken'], deadSeconds: 20 };

  it('says what was tried after a dead spell, in English', () => {
    assert.equal(diagnosisText(dead, en),
      'Traffic was waiting, but no handshake completed for 20 seconds, so WireDesk reconnected the tunnel. What WireDesk tried: ' +
      'looked up the endpoint host name again, re-opened the UDP socket, started a new handshake.');
  });

  it('says it in Japanese, with no English left', () => {
    const text = diagnosisText(dead, ja);
    const english = (s: string) => s.replace(/WireDesk|UDP/g, '').match(/[A-Za-z]{3,}|[.,] /g);
    assert.match(text, /20 秒間ハンドシェイクが完了しなかった/);
    assert.match(text, /エンドポイントのホスト名を再解決/);
    assert.equal(english(text), null, text);
    assert.equal(english(diagnosisText({ code: 'resumed-from-sleep', message: 'x', tried: ['re-bound', 're-handshaken'] }, ja)), null);
  });

  it('keeps the helper\'s message for the other diagnoses', () => {
    assert.equal(diagnosisText({ code: 'no-reply', message: 'No reply from 192.0.2.1:51820.' }, ja), 'No reply from 192.0.2.1:51820.');
  });
});
