// Which language WireDesk speaks: the setting's, or for 'system' the OS
// locale's (Japanese for ja*, English otherwise). Main's tray and the
// renderer decide it the same way.
import type { Language, LanguageSetting } from './types.js';

export function resolveLanguage(setting: LanguageSetting, systemLocale: string): Language {
  if (setting !== 'system') return setting;
  return systemLocale.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}
