// A network without NetworkManager, identified by what the computer sees of
// it: the default gateway's MAC address and the subnet of the address on the
// gateway's interface ("gateway 52:54:00:12:34:56 on 192.168.1.0/24"). Two
// homes with the same 192.168.1.0/24 differ by their routers' MACs; the same
// router reached over Wi-Fi and Ethernet is the same network.
//
//   RTM_GETLINK   ifindex -> name (to skip the tunnels' own interfaces)
//   RTM_GETROUTE  main table, /0, lowest metric -> gateway IP, oif
//   RTM_GETNEIGH  gateway IP on oif -> MAC (ARP/NDP; nudged with one datagram if absent)
//   RTM_GETADDR   the oif's address -> subnet
import { createSocket } from 'node:dgram';
import { rtnetlinkDump } from './netlink-socket.js';
import { AF_INET, AF_INET6, RTM } from '../../../../shared/netlink/rtnetlink.js';
import { defaultRoute, parseAddress, parseLink, parseNeighbour, parseRoute, subnetOf, type Route } from './rtnetlink.js';

export interface GatewayIdentity { gatewayMac: string; subnet: string; ifname: string | null }

/** NUD_INCOMPLETE and NUD_FAILED: no MAC to trust yet. */
const NUD_UNUSABLE = 0x01 | 0x20;
const ARP_WAIT_MS = 600;
const ARP_STEP_MS = 50;

export interface GatewayReader {
  dump: (type: number, family: number) => Buffer[];
  sleep: (ms: number) => Promise<void>;
  nudge: (gateway: string, family: number) => void;
}

export const realGatewayReader: GatewayReader = {
  dump: rtnetlinkDump,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  // Any datagram to the gateway makes the kernel resolve its MAC; port 9 is discard.
  nudge: (gateway, family) => {
    const s = createSocket(family === AF_INET ? 'udp4' : 'udp6');
    s.on('error', () => s.close());
    s.send(Buffer.alloc(0), 9, gateway, () => s.close());
  },
};

/** The current gateway's identity, or null when there is no default route (offline) or its MAC cannot be learnt. */
export async function readGatewayIdentity(isTunnel: (ifname: string) => boolean, r: GatewayReader = realGatewayReader): Promise<GatewayIdentity | null> {
  const names = new Map(r.dump(RTM.getLink, 0).map(parseLink).map((l) => [l.ifindex, l.name] as const));
  const skip = (ifindex: number): boolean => { const n = names.get(ifindex); return n !== undefined && n !== null && isTunnel(n); };
  for (const family of [AF_INET, AF_INET6]) {
    const route = defaultRoute(r.dump(RTM.getRoute, family).map(parseRoute).filter((x) => x.family === family), skip);
    if (!route?.gateway || route.oif === null) continue;
    const mac = await gatewayMac(route, family, r);
    const subnet = subnetOn(route.oif, family, r);
    if (!mac || !subnet) continue;
    return { gatewayMac: mac, subnet, ifname: names.get(route.oif) ?? null };
  }
  return null;
}

async function gatewayMac(route: Route, family: number, r: GatewayReader): Promise<string | null> {
  const look = (): string | null => r.dump(RTM.getNeigh, family).map(parseNeighbour)
    .find((n) => n.ifindex === route.oif && n.dst === route.gateway && n.lladdr !== null && (n.state & NUD_UNUSABLE) === 0)?.lladdr ?? null;
  let mac = look();
  if (mac) return mac;
  try { r.nudge(route.gateway!, family); } catch { /* no socket: read what the kernel has */ }
  for (let waited = 0; !mac && waited < ARP_WAIT_MS; waited += ARP_STEP_MS) {
    await r.sleep(ARP_STEP_MS);
    mac = look();
  }
  return mac;
}

/** The subnet of the interface's first global address of this family (IPv6 link-local ones say nothing about the network). */
function subnetOn(ifindex: number, family: number, r: GatewayReader): string | null {
  const a = r.dump(RTM.getAddr, family).map(parseAddress)
    .find((x) => x.ifindex === ifindex && x.family === family && x.address !== null && !x.address.startsWith('fe80:'));
  return a ? subnetOf(a.address!, a.prefixLen) : null;
}
