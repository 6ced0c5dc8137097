// The window's one polite live region. Anything that changes on its own
// (a tunnel's state, not a click's direct result) is said here, once, through
// useAnnounce(); views never add live regions of their own for such news.
// Ticking values (counters, rates, ages) are never announced.
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

const Ctx = createContext<(message: string) => void>(() => undefined);

export function LiveRegionProvider({ children }: { children: ReactNode }) {
  // The counter makes a repeated sentence a new text, so it is said again.
  const [said, setSaid] = useState({ text: '', n: 0 });
  const announce = useCallback((text: string) => setSaid((s) => ({ text, n: s.n + 1 })), []);
  return (
    <Ctx.Provider value={announce}>
      {children}
      <div className="sr-only" role="status" aria-live="polite" aria-atomic="true" data-testid="live-region" data-count={said.n}>
        {said.text}{said.n % 2 ? '' : '\u200b'}
      </div>
    </Ctx.Provider>
  );
}

/** Says a sentence through the live region. */
export function useAnnounce(): (message: string) => void {
  return useContext(Ctx);
}
