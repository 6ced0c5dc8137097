// What the tunnel manager is given: the system it drives, and the seams tests replace.
import type { EventData, EventName } from '../../../../shared/control/protocol.js';
import type { Policy } from '../control/policy.js';
import type { NetconfigApi } from './netconfig-api.js';
import type { SystemEvents } from './system-events.js';
import type { MonitorDeps } from './tunnel-monitor.js';

export interface ManagerOptions {
  netconfig: NetconfigApi;
  /** Read at every up/down, so an admin's change applies without a restart. */
  policy: () => Policy;
  /** Where engines write their logs (WIREDESK_LOG_DIR). */
  logDir: string;
  emit: <E extends EventName>(event: E, data: EventData<E>) => void;
  now?: () => number;
  /** Replaces UAPI and the log file, for tests. */
  monitorDeps?: (name: string, logPath: string) => MonitorDeps;
  maxTunnels?: number;
  engineCommand?: string;
  /** Also print every log line here (stderr, i.e. the journal). */
  echo?: (line: string) => void;
  /** Host name lookups for endpoints (default: the system resolver). */
  resolve?: (host: string) => Promise<string[]>;
  /** Resume and network-change news; default the real watches, or none when monitorDeps is given (unit tests). */
  systemEvents?: SystemEvents | null;
}
