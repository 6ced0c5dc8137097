// Renderer entry: loads settings and app info, follows the theme (system or
// chosen) and language, and mounts the app over the live tunnel store.
import { StrictMode, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import type { AppInfo, Settings } from '../shared/ipc/types.js';
import { App } from './app.js';
import { StoreContext } from './lib/hooks.js';
import { I18nProvider, resolveLanguage } from './lib/i18n/i18n.js';
import { ipc } from './lib/ipc.js';
import { TunnelStore } from './lib/tunnel-store.js';
import './styles/app.css';

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
const useSystemDark = () => useSyncExternalStore(
  (l) => {
    darkQuery.addEventListener('change', l);
    return () => darkQuery.removeEventListener('change', l);
  },
  () => darkQuery.matches,
);

function Root() {
  const store = useMemo(() => new TunnelStore(ipc), []);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const systemDark = useSystemDark();
  useEffect(() => store.start(), [store]);
  useEffect(() => {
    void ipc.invoke('settings:get').then(setSettings);
    void ipc.invoke('app:info').then(setInfo);
    return ipc.on('settings:changed', setSettings);
  }, []);
  const dark = settings?.theme === 'dark' || (settings?.theme !== 'light' && systemDark);
  const lang = resolveLanguage(settings?.language ?? 'system', info?.systemLocale || navigator.language);
  useEffect(() => {
    document.documentElement.dataset.theme = dark ? 'dark' : 'light';
    document.documentElement.lang = lang;
  }, [dark, lang]);
  if (!settings || !info) return null;
  return (
    <StoreContext.Provider value={store}>
      <I18nProvider lang={lang}>
        <App settings={settings} info={info} />
      </I18nProvider>
    </StoreContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><Root /></StrictMode>);
