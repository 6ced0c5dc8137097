// What a failover group is doing, in words, for the tray; the sentences are
// shared with the renderer (shared/ipc/group-reason-text.ts).
import { groupReasonEn, groupReasonJa } from '../../../shared/ipc/group-reason-text.js';
import type { Language } from '../../../shared/ipc/types.js';

const en = { groupOff: 'off', reason: groupReasonEn };
const ja: typeof en = { groupOff: 'オフ', reason: groupReasonJa };

export function groupStrings(lang: Language): typeof en {
  return lang === 'ja' ? ja : en;
}
