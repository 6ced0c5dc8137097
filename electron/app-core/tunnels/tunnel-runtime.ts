// What the app remembers about one tunnel while it runs: its state, rates
// and the recent history the detail view shows when it opens.
import { HISTORY_LIMITS } from '../../../shared/ipc/history.js';
import type {
  Diagnosis, HandshakeEntry, LogLine, RatePoint, RoamingEntry, StatsSample, TunnelState,
} from '../../../shared/ipc/types.js';
import { Ring } from '../../../shared/ring.js';
import { RateMeter } from './rates.js';

export class TunnelRuntime {
  state: TunnelState = 'down';
  diagnosis: Diagnosis | undefined;
  latest: StatsSample | null = null;
  readonly meter = new RateMeter();
  readonly rates = new Ring<RatePoint>(HISTORY_LIMITS.rates);
  readonly handshakes = new Ring<HandshakeEntry>(HISTORY_LIMITS.handshakes);
  readonly roaming = new Ring<RoamingEntry>(HISTORY_LIMITS.roaming);
  readonly logs = new Ring<LogLine>(HISTORY_LIMITS.logs);

  /** Forget counters and rates when a tunnel goes down; timelines and logs stay. */
  stopped(): void {
    this.meter.reset();
    this.latest = null;
  }
}
