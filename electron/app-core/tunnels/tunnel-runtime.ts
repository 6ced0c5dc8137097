// What the app remembers about one tunnel while it runs: its state, rates
// and the recent history the detail view shows when it opens.
import type {
  Diagnosis, HandshakeEntry, LogLine, RatePoint, RoamingEntry, StatsSample, TunnelState,
} from '../../ipc/types.js';
import { Ring } from '../../../tunnel-helper/src/config/ring.js';
import { RateMeter } from './rates.js';

/** 10 minutes of one-second points: the graph's long view. */
export const RATE_HISTORY_POINTS = 600;

export class TunnelRuntime {
  state: TunnelState = 'down';
  diagnosis: Diagnosis | undefined;
  latest: StatsSample | null = null;
  readonly meter = new RateMeter();
  readonly rates = new Ring<RatePoint>(RATE_HISTORY_POINTS);
  readonly handshakes = new Ring<HandshakeEntry>(100);
  readonly roaming = new Ring<RoamingEntry>(100);
  readonly logs = new Ring<LogLine>(2000);

  /** Forget counters and rates when a tunnel goes down; timelines and logs stay. */
  stopped(): void {
    this.meter.reset();
    this.latest = null;
  }
}
