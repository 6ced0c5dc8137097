// Notices a network change the cheap way: the set of local addresses
// (getifaddrs, through os.networkInterfaces) differs from the last look. That
// covers Wi-Fi to Ethernet, a new DHCP lease and an interface going down; a
// route that moves with no address change is the engine's to notice.
import { networkInterfaces } from 'node:os';

export const NETWORK_POLL_MS = 2000;

export function addressSignature(ignore: (ifname: string) => boolean, read = networkInterfaces): string {
  return Object.entries(read())
    .filter(([name]) => !ignore(name))
    .flatMap(([name, addrs]) => (addrs ?? []).filter((a) => !a.internal).map((a) => `${name} ${a.address}`))
    .sort()
    .join('\n');
}

export class NetworkWatch {
  private timer: NodeJS.Timeout | null = null;
  private last: string | null = null;

  /** `ignore`: interfaces whose addresses are no news (the tunnels' own). */
  constructor(private readonly ignore: (ifname: string) => boolean, private readonly onChange: () => void) {}

  start(): void {
    this.last = addressSignature(this.ignore);
    this.timer = setInterval(() => {
      const now = addressSignature(this.ignore);
      if (now === this.last) return;
      this.last = now;
      this.onChange();
    }, NETWORK_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
