// The current language's messages through React context. "system" follows
// the OS locale (navigator.language): Japanese for ja*, English otherwise.
import { createContext, useContext, type ReactNode } from 'react';
import type { Language } from '../../../shared/ipc/types.js';
import { en, type Messages } from './en.js';
import { ja } from './ja.js';

export { resolveLanguage } from '../../../shared/ipc/language.js';

interface I18n {
  readonly t: Messages;
  readonly lang: Language;
}

const Ctx = createContext<I18n>({ t: en, lang: 'en' });

export function I18nProvider({ lang, children }: { lang: Language; children: ReactNode }) {
  return <Ctx.Provider value={lang === 'ja' ? { t: ja, lang } : { t: en, lang }}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  return useContext(Ctx);
}
