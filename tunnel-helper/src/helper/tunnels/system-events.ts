// The machine-wide news every running tunnel's recovery (recovery.ts) hears:
// resume from sleep and network changes. Started with the first tunnel the
// manager watches, stopped when the manager lets go of them.
import { NetworkWatch } from '../system/network-watch.js';
import { SleepWatch } from '../system/sleep-watch.js';

export interface SystemEvents {
  start(handlers: { resumed: () => void; networkChanged: () => void }): void;
  stop(): void;
}

export function realSystemEvents(isTunnel: (ifname: string) => boolean, log: (line: string) => void): SystemEvents {
  let sleep: SleepWatch | null = null;
  let network: NetworkWatch | null = null;
  return {
    start(h) {
      if (sleep) return;
      sleep = new SleepWatch({ log });
      sleep.onResume(h.resumed);
      void sleep.start();
      network = new NetworkWatch(isTunnel, h.networkChanged);
      network.start();
    },
    stop() {
      sleep?.stop();
      network?.stop();
      sleep = null;
      network = null;
    },
  };
}
