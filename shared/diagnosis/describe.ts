// A diagnosis in the user's language, worded from its code and details (see
// `diagnosis` in control/protocol.ts), never from the helper's English
// `message`, which is quoted only as a technical detail where nothing
// structured says more (a failure to switch the tunnel on or off). One composer, one table of words
// per language (en.ts, ja.ts); the renderer, the tray and the notifications
// all say it through here. Pure: every process may import it.
import type { Diagnosis } from '../ipc/types.js';
import type { Diagnosis as HelperDiagnosis, RecoveryStep } from '../control/protocol.js';

type Evidence = NonNullable<HelperDiagnosis['evidence']>;
type EngineStop = NonNullable<HelperDiagnosis['engineStop']>;

export interface DiagnosisWords {
  /** A duration such as "75 seconds" or "3 minutes, 5 seconds". */
  duration: (seconds: number) => string;
  /** Each sentence below carries its own trailing separator, so they join as they are. */
  peer: (shortKey: string) => string;
  handshakeAge: (duration: string) => string;
  notWithin: (duration: string) => string;
  thePeer: string;
  evidence: {
    'cookie-reply': (where: string) => string;
    'reply-failed': (where: string) => string;
    /** The byte count and window are absent when an older helper did not send them. */
    'no-reply': (where: string, sentBytes?: number, windowSeconds?: number) => string;
    'replies-no-handshake': (where: string) => string;
    silent: (where: string) => string;
  };
  unresolved: (host: string | undefined) => string;
  engineStopped: Record<EngineStop | 'unknown', string>;
  setupFailed: string;
  teardownFailed: string;
  resumedFromSleep: string;
  deadTunnel: (seconds: number) => string;
  recoveryTried: (steps: string[]) => string;
  recoveryStep: Record<RecoveryStep, string>;
  helperLost: string;
  helperOutdated: string;
  /** Quotes the helper's or the system's own (English) words as a detail. */
  details: (text: string) => string;
}

/** What a peer diagnosis from an older helper, without `evidence`, most likely saw. */
const EVIDENCE_OF: Record<'no-reply' | 'peer-under-load' | 'key-mismatch' | 'handshake-expired', Evidence> = {
  'no-reply': 'no-reply', 'peer-under-load': 'cookie-reply', 'key-mismatch': 'replies-no-handshake', 'handshake-expired': 'silent',
};

export function describeDiagnosis(d: Diagnosis, w: DiagnosisWords): string {
  switch (d.code) {
    case 'no-reply': case 'peer-under-load': case 'key-mismatch': case 'handshake-expired': {
      const who = d.peerCount !== undefined && d.peerCount > 1 && d.publicKey ? w.peer(`${d.publicKey.slice(0, 8)}…`) : '';
      const since = d.handshakeAgeSeconds !== undefined ? w.handshakeAge(w.duration(d.handshakeAgeSeconds))
        : d.waitedSeconds !== undefined ? w.notWithin(w.duration(d.waitedSeconds)) : '';
      const where = d.endpoint ?? w.thePeer;
      const evidence = d.evidence ?? EVIDENCE_OF[d.code];
      const body = evidence === 'no-reply' ? w.evidence['no-reply'](where, d.sentBytes, d.windowSeconds) : w.evidence[evidence](where);
      return who + since + body;
    }
    case 'endpoint-unresolved':
      // Without the host (an older helper), the resolver's own words are all there is.
      return w.unresolved(d.endpoint) + (d.endpoint ? '' : w.details(d.message));
    case 'engine-stopped':
      return w.engineStopped[d.engineStop ?? 'unknown'];
    case 'setup-failed':
      return w.setupFailed + (d.message ? w.details(d.message) : '');
    case 'teardown-failed':
      return w.teardownFailed + (d.message ? w.details(d.message) : '');
    case 'resumed-from-sleep': case 'dead-tunnel': {
      const head = d.code === 'resumed-from-sleep' ? w.resumedFromSleep : w.deadTunnel(d.deadSeconds ?? 0);
      return d.tried && d.tried.length > 0 ? head + w.recoveryTried(d.tried.map((s) => w.recoveryStep[s])) : head;
    }
    case 'helper-lost':
      return w.helperLost;
    case 'helper-outdated':
      return w.helperOutdated;
  }
}
