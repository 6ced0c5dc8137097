// Notices a network change for the tunnels' recovery: the set of local
// addresses (getifaddrs, through os.networkInterfaces) differs from the last
// look. That covers Wi-Fi to Ethernet, a new DHCP lease and an interface going
// down; a route that moves with no address change is the engine's to notice.
// It looks when the kernel announces a change (the same rtnetlink groups the
// network identity watches), or every NETWORK_POLL_MS where netlink is closed
// to it; neighbour and route churn that leaves the addresses alone is no news.
import { networkInterfaces } from 'node:os';
import { watchRtnetlink } from './netlink-socket.js';

export const NETWORK_POLL_MS = 2000;

export function addressSignature(ignore: (ifname: string) => boolean, read = networkInterfaces): string {
  return Object.entries(read())
    .filter(([name]) => !ignore(name))
    .flatMap(([name, addrs]) => (addrs ?? []).filter((a) => !a.internal).map((a) => `${name} ${a.address}`))
    .sort()
    .join('\n');
}

export class NetworkWatch {
  private stopWatch: (() => void) | null = null;
  private last: string | null = null;

  /**
   * `ignore`: interfaces whose addresses are no news (the tunnels' own).
   * `watchKernel`: calls back on each kernel announcement (default rtnetlink).
   */
  constructor(
    private readonly ignore: (ifname: string) => boolean,
    private readonly onChange: () => void,
    private readonly watchKernel: (onNews: () => void) => () => void = watchRtnetlink,
  ) {}

  start(): void {
    this.last = addressSignature(this.ignore);
    const look = () => {
      const now = addressSignature(this.ignore);
      if (now === this.last) return;
      this.last = now;
      this.onChange();
    };
    try {
      this.stopWatch = this.watchKernel(look);
    } catch {
      const timer = setInterval(look, NETWORK_POLL_MS);
      timer.unref();
      this.stopWatch = () => clearInterval(timer);
    }
  }

  stop(): void {
    this.stopWatch?.();
    this.stopWatch = null;
  }
}
