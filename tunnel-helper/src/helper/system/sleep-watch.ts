// Tells the helper when the computer resumed from sleep, two ways:
//
//   logind   PrepareForSleep(false) on the system bus, at the moment of resume
//   clocks   CLOCK_BOOTTIME counts suspended time and CLOCK_MONOTONIC does not,
//            so their difference jumps by the time spent asleep
//
// The clock check runs even when logind is there: a suspend logind did not
// arrange (a write to /sys/power/state, a VM paused by its host) sends no
// signal. A second report within RESUME_DEDUP_MS of the first is the same
// resume seen twice and is dropped.
import { readFile } from 'node:fs/promises';
import { DbusConnection } from './dbus-client.js';

export const CLOCK_POLL_MS = 2000;
/** A jump in BOOTTIME − MONOTONIC at least this large is a sleep (not rounding: /proc/uptime has 10 ms steps). */
export const MIN_SLEEP_MS = 3000;
export const RESUME_DEDUP_MS = 15_000;
const LOGIND_MATCH = "type='signal',sender='org.freedesktop.login1',path='/org/freedesktop/login1'," +
  "interface='org.freedesktop.login1.Manager',member='PrepareForSleep'";

export type ResumeSource = 'logind' | 'clock';
export interface ClockReading { bootMs: number; monoMs: number }

/** Pure: feed it readings, it says how long the computer slept since the last one (null if it did not). */
export class ClockGapDetector {
  private gap: number | null = null;

  constructor(private readonly minSleepMs = MIN_SLEEP_MS) {}

  sample(r: ClockReading): number | null {
    const gap = r.bootMs - r.monoMs;
    const prev = this.gap;
    this.gap = gap;
    if (prev === null) return null;
    const slept = gap - prev;
    return slept >= this.minSleepMs ? slept : null;
  }
}

/** CLOCK_BOOTTIME from /proc/uptime (the kernel reads it with ktime_get_boottime), CLOCK_MONOTONIC from process.hrtime. */
export async function readClocks(): Promise<ClockReading> {
  const text = await readFile('/proc/uptime', 'latin1');
  const monoMs = Number(process.hrtime.bigint() / 1_000_000n);
  const boot = Number(text.split(' ')[0]);
  if (!Number.isFinite(boot)) throw new Error('/proc/uptime is unreadable');
  return { bootMs: boot * 1000, monoMs };
}

export interface SleepWatchOptions {
  readClocks?: () => Promise<ClockReading>;
  /** Opens the system bus; null skips logind (tests of the clock path). */
  openBus?: (() => Promise<DbusConnection>) | null;
  now?: () => number;
  log?: (line: string) => void;
}

export class SleepWatch {
  private timer: NodeJS.Timeout | null = null;
  private bus: DbusConnection | null = null;
  private readonly detector = new ClockGapDetector();
  private lastResumeAt = -Infinity;
  private stopped = false;
  private listeners: ((source: ResumeSource) => void)[] = [];
  /** What the watch listens to, for logs and tests. */
  logind = false;

  constructor(private readonly opts: SleepWatchOptions = {}) {}

  onResume(listener: (source: ResumeSource) => void): void {
    this.listeners.push(listener);
  }

  async start(): Promise<void> {
    const read = this.opts.readClocks ?? readClocks;
    const tick = (): void => {
      void read().then((r) => { if (this.detector.sample(r) !== null) this.resumed('clock'); }).catch(() => { /* no /proc: logind only */ });
    };
    tick();
    this.timer = setInterval(tick, CLOCK_POLL_MS);
    this.timer.unref();
    const open = this.opts.openBus === undefined ? () => DbusConnection.open() : this.opts.openBus;
    if (open) await this.listenToLogind(open);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.bus?.close();
    this.bus = null;
  }

  /** Called by the logind signal or the clock check; also a seam for tests. */
  resumed(source: ResumeSource): void {
    const now = (this.opts.now ?? Date.now)();
    if (now - this.lastResumeAt < RESUME_DEDUP_MS) return;
    this.lastResumeAt = now;
    this.opts.log?.(`The computer resumed from sleep (seen by ${source === 'logind' ? "logind's PrepareForSleep" : 'the boot and monotonic clocks'}).`);
    for (const l of this.listeners) l(source);
  }

  private async listenToLogind(open: () => Promise<DbusConnection>): Promise<void> {
    try {
      const bus = await open();
      if (this.stopped) return bus.close();
      if (!(await bus.nameHasOwner('org.freedesktop.login1'))) {
        bus.close();
        this.opts.log?.('logind is not on the system bus; resume from sleep is detected from the clocks.');
        return;
      }
      bus.onSignal((m) => {
        if (m.interface === 'org.freedesktop.login1.Manager' && m.member === 'PrepareForSleep' && m.body[0] === false) this.resumed('logind');
      });
      bus.onClose((why) => {
        this.logind = false;
        if (!this.stopped) this.opts.log?.(`Lost the system bus (${why}); resume from sleep is detected from the clocks.`);
      });
      await bus.addMatch(LOGIND_MATCH);
      this.bus = bus;
      this.logind = true;
      this.opts.log?.("Listening for logind's PrepareForSleep to reconnect tunnels after sleep.");
    } catch (e) {
      this.opts.log?.(`The system bus is not available (${(e as Error).message}); resume from sleep is detected from the clocks.`);
    }
  }
}
