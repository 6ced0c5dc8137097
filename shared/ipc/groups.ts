// Failover groups, as the renderer and main share them: an ordered list of
// the user's tunnels shown as one switch. The first member is the primary;
// the group runs one member at a time (electron/app-core/groups/).
import { arr, int, obj, str, type Infer } from '../check.js';
import { tunnelName } from '../config/interface-name.js';

/** Timing defaults, in seconds: each is a group's field and can be changed per group. */
export const GROUP_DEFAULTS = {
  /** The active member must be unhealthy this long before the next comes up. */
  failAfterSeconds: 5,
  /** A higher-ranked member must pass every probe for this long before the group fails back. */
  holdSeconds: 60,
  /** No switch within this long of the previous one, whatever the probes say. */
  dwellSeconds: 30,
  /** How often a higher-ranked member is probed while a lower one runs. */
  probeEverySeconds: 10,
} as const;

export const MAX_GROUP_MEMBERS = 8;

/** The range each timing takes, in seconds (the editor keeps its fields to them). */
export const GROUP_TIMING_RANGES = {
  failAfterSeconds: [1, 600], holdSeconds: [1, 86_400], dwellSeconds: [0, 86_400], probeEverySeconds: [1, 3600],
} as const satisfies Record<keyof typeof GROUP_DEFAULTS, readonly [number, number]>;
const timing = (k: keyof typeof GROUP_TIMING_RANGES) => int(...GROUP_TIMING_RANGES[k]);

/** A group as the user edits it; absent timings take GROUP_DEFAULTS. */
export const groupSpec = obj({
  name: str({ min: 1, max: 64, hint: 'a group name of 1-64 characters' }),
  members: arr(tunnelName, MAX_GROUP_MEMBERS),
}, {
  failAfterSeconds: timing('failAfterSeconds'),
  holdSeconds: timing('holdSeconds'),
  dwellSeconds: timing('dwellSeconds'),
  probeEverySeconds: timing('probeEverySeconds'),
  /** Sent to the helper for each member that comes up: its dead-tunnel time. */
  deadAfterSeconds: int(5, 3600),
});
export type GroupSpec = Infer<typeof groupSpec>;

/**
 * Why the group runs the member it runs. The renderer and the tray say it in
 * the user's language from the code and the names:
 *   started      the user switched the group on: the first member that comes up
 *   failed-over  `from` stopped answering, so `to` came up
 *   failed-back  `to` (ranked higher) passed every probe for the holding time
 *   all-failed   the last member is unhealthy too; it keeps reconnecting and higher ones are probed
 *   holding      `to` answers probes; the group fails back to it once the holding time has passed
 */
export type GroupReasonCode = 'started' | 'failed-over' | 'failed-back' | 'all-failed' | 'holding';

export interface GroupReason {
  readonly code: GroupReasonCode;
  readonly from?: string;
  readonly to?: string;
  /** holding: seconds until the group may fail back. */
  readonly seconds?: number;
}

export interface GroupStatus {
  readonly name: string;
  readonly members: readonly string[];
  readonly on: boolean;
  /** The member that runs, or null while the group is off. */
  readonly active: string | null;
  readonly reason: GroupReason | null;
  /** Member switches since the group was switched on. */
  readonly switches: number;
  readonly spec: GroupSpec;
}
