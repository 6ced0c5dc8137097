import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortcutOf, type KeyPress } from '../../../../renderer/lib/shortcuts.js';
import { a11yEn, a11yJa, firstSentence } from '../../../../renderer/lib/i18n/a11y-text.js';

const press = (key: string, o: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, inField: false, ...o });

describe('keyboard shortcuts', () => {
  it('maps Ctrl+I, Ctrl+N and Ctrl+F whatever the case or the focused field', () => {
    assert.equal(shortcutOf(press('i', { ctrlKey: true })), 'import');
    assert.equal(shortcutOf(press('N', { ctrlKey: true, inField: true })), 'new');
    assert.equal(shortcutOf(press('f', { ctrlKey: true, inField: true })), 'filter');
  });

  it('leaves other chords and plain letters alone', () => {
    assert.equal(shortcutOf(press('i')), null);
    assert.equal(shortcutOf(press('i', { ctrlKey: true, shiftKey: true })), null, 'Ctrl+Shift+I is the developer tools');
    assert.equal(shortcutOf(press('f', { ctrlKey: true, altKey: true })), null);
  });

  it('Delete removes only outside text fields, and never with a modifier', () => {
    assert.equal(shortcutOf(press('Delete')), 'delete');
    assert.equal(shortcutOf(press('Delete', { inField: true })), null, 'Delete edits text in a field');
    assert.equal(shortcutOf(press('Delete', { shiftKey: true })), null);
    assert.equal(shortcutOf(press('Backspace')), null);
  });
});

describe('announcements', () => {
  it('say the state with the tunnel, and a diagnosis by its first sentence', () => {
    assert.equal(a11yEn.announce('office', 'up', null), 'office is on');
    assert.equal(a11yEn.announce('office', 'down', null), 'office is off');
    const why = firstSentence('No reply from 203.0.113.5:51820: 148 bytes were sent and nothing came back. UDP may be blocked.');
    assert.equal(a11yEn.announce('office', 'degraded', why), 'office degraded: No reply from 203.0.113.5:51820: 148 bytes were sent and nothing came back.');
    assert.equal(firstSentence('203.0.113.5 から応答がありません。UDP がブロックされている可能性があります。'), '203.0.113.5 から応答がありません。');
    assert.equal(a11yJa.announce('office', 'up', null), 'office はオンです');
  });
});
