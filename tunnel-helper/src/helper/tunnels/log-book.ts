// The recent log lines the app shows, per tunnel and overall, in bounded
// ring buffers: a long-running helper must not grow with its log.
import { Ring } from '../../../../shared/ring.js';
import type { LogLine } from '../../../../shared/control/protocol.js';

export class LogBook {
  private all: Ring<LogLine>;
  private perTunnel = new Map<string, Ring<LogLine>>();

  constructor(private readonly perTunnelCapacity = 2000, overallCapacity = 5000, private readonly maxTunnels = 128) {
    this.all = new Ring(overallCapacity);
  }

  add(line: LogLine): void {
    this.all.push(line);
    if (line.tunnel === null) return;
    let ring = this.perTunnel.get(line.tunnel);
    if (!ring) {
      // Forget the tunnel seen longest ago rather than grow per name forever.
      if (this.perTunnel.size >= this.maxTunnels) this.perTunnel.delete(this.perTunnel.keys().next().value!);
      ring = new Ring(this.perTunnelCapacity);
      this.perTunnel.set(line.tunnel, ring);
    }
    ring.push(line);
  }

  /** The newest `limit` lines, fewer if needed to stay under `maxChars` of text (a reply must fit in a frame). */
  recent(tunnel: string | undefined, limit: number, maxChars = 512 * 1024): LogLine[] {
    const lines = tunnel === undefined ? this.all.last(limit) : this.perTunnel.get(tunnel)?.last(limit) ?? [];
    let chars = 0;
    let from = lines.length;
    while (from > 0 && chars + lines[from - 1]!.text.length <= maxChars) chars += lines[--from]!.text.length;
    return lines.slice(from);
  }
}
