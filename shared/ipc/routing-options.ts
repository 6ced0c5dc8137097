// The per-tunnel routing options between renderer and main: "Exclude the
// network I'm on" (a runtime option the helper applies, never in the .conf)
// and the record that lets "Exclude private IPs" restore AllowedIPs exactly
// (shared/config/exclude-private.ts; kept in main's tunnel-prefs.json).
import { arr, obj, str, type Infer } from '../check.js';

/** What the detail view shows for "Exclude the network I'm on". */
export interface LanBypassView {
  /** The option is on for this tunnel (it applies whenever the tunnel runs). */
  readonly on: boolean;
  /** The tunnel is running, so `prefixes` is what the helper bypasses now. */
  readonly running: boolean;
  /** The LAN subnets routed outside the tunnel right now, e.g. 192.168.1.0/24. */
  readonly prefixes: readonly string[];
}

const allowedIpsList = arr(arr(str({ max: 64 }), 4096), 256);

export const excludePrivateRecord = obj({ original: allowedIpsList, applied: allowedIpsList });
export type ExcludePrivateRecordValue = Infer<typeof excludePrivateRecord>;
