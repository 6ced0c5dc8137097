// The kill switch leaks nothing onto the physical link, in either mode, with
// the tunnel up and after its engine is killed with -9. The tunnel's DNS
// server (10.67.0.53) and its addresses (192.168.201.0/24, fd77::/64) are in
// private ranges, which 'allow-lan' would otherwise count as LAN.
//
// The client's veth is captured while the test pings over IPv4 and IPv6,
// resolves a name through the namespace's resolv.conf (getent, as any
// program would), asks a LAN resolver directly (UDP and TCP), and sends UDP.
// What the capture shows is asserted: WireGuard's own UDP, neighbour
// discovery, and in 'allow-lan' the real LAN (the veth subnet) but never
// port 53; nothing else. A dnsmasq on the peer answers both as the tunnel's
// DNS (reached through the tunnel) and as the LAN's (on the veth address).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { hasCommand, waitFor } from '../../support/netns.js';
import { wiredeskBin } from '../../support/cli.js';
import { killEngine } from './state.js';
import { LAN_PEER_V4, OUTSIDE_V4, PEER_PORT, skipReason, TUNNEL_PEER_V4, TUNNEL_PEER_V6, withTopology, type Topology } from './topology.js';
import { describePacket, UnderlayCapture, type Packet } from './underlay-capture.js';

const skip = skipReason || (!hasCommand('tcpdump') || !hasCommand('dnsmasq') || !hasCommand('getent')
  ? 'needs tcpdump, dnsmasq and getent' : false);

const probeJs = fileURLToPath(new URL('./leak-probe.js', import.meta.url));

const TUNNEL_DNS_V4 = '10.67.0.53';
const TUNNEL_DNS_V6 = 'fd67::53';
const LAN_PEER_V6 = 'fd01::1';
const OUTSIDE_V6 = '2001:db8::1';
const ANSWER_V4 = '10.99.0.1';
const LAN_UDP_PORT = 9999;

type Mode = 'on' | 'allow-lan';

/** dnsmasq on the peer, answering example.org on the tunnel's DNS addresses (on lo) and on the LAN ones (the veth). */
async function startDnsmasq(t: Topology): Promise<void> {
  t.peer.exec('ip', ['addr', 'add', `${TUNNEL_DNS_V4}/32`, 'dev', 'lo']);
  t.peer.exec('ip', ['-6', 'addr', 'add', `${TUNNEL_DNS_V6}/128`, 'dev', 'lo', 'nodad']);
  const listen = [TUNNEL_DNS_V4, TUNNEL_DNS_V6, LAN_PEER_V4, LAN_PEER_V6];
  const child = t.peer.spawn('dnsmasq', [
    '--keep-in-foreground', '--conf-file=/dev/null', '--pid-file=', '--user=root', '--no-resolv', '--no-hosts', '--no-poll',
    '--bind-interfaces', `--listen-address=${listen.join(',')}`,
    `--address=/example.org/${ANSWER_V4}`, '--address=/example.org/fd99::1',
  ]);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  await waitFor(() => {
    if (child.exitCode !== null) throw new Error(`dnsmasq exited: ${stderr}`);
    const sockets = t.peer.exec('ss', ['-Hlnu']);
    return listen.every((a) => sockets.includes(a.includes(':') ? `[${a}]:53` : `${a}:53`));
  }, 20_000, 'dnsmasq to listen');
}

interface Observed {
  packets: Packet[];
  /** `getent ahosts example.org`: resolv.conf, as every program reads it. */
  getent: { status: number; stdout: string };
  lanDns: { server: string; result: string }[];
  lanTcp53: { host: string; result: string }[];
  pings: Record<string, number>;
}

/** Everything a leak could ride on, with the client's veth captured meanwhile. */
async function observe(t: Topology): Promise<Observed> {
  const capture = await UnderlayCapture.start(t.client, t.clientVeth, join(t.dir, `underlay-${Date.now()}.pcap`), t.peer, '10.201.0.255');
  try {
    const pings: Record<string, number> = {};
    for (const addr of [TUNNEL_PEER_V4, TUNNEL_PEER_V6, TUNNEL_DNS_V4, TUNNEL_DNS_V6, OUTSIDE_V4, OUTSIDE_V6, LAN_PEER_V4, LAN_PEER_V6]) {
      pings[addr] = t.ping(addr, 1);
    }
    // A resolver through resolv.conf (the tunnel's servers while it is up and after the engine died).
    const getent = t.runInClient('getent', ['ahosts', 'example.org'], { RES_OPTIONS: 'timeout:1 attempts:1' });
    const udpTargets = [TUNNEL_PEER_V4, TUNNEL_PEER_V6, TUNNEL_DNS_V4, OUTSIDE_V4, OUTSIDE_V6, LAN_PEER_V4, LAN_PEER_V6];
    const probe = t.runInClient(process.execPath, [probeJs, JSON.stringify({
      dns: [LAN_PEER_V4, LAN_PEER_V6].map((server) => ({ server, name: 'example.org' })),
      tcp: [LAN_PEER_V4, LAN_PEER_V6].map((host) => ({ host, port: 53 })),
      udp: udpTargets.map((host) => ({ host, port: LAN_UDP_PORT })),
    })]);
    assert.equal(probe.status, 0, probe.stderr);
    const result = JSON.parse(probe.stdout) as { dns: { server: string; result: string }[]; tcp: { host: string; result: string }[] };
    return { packets: await capture.stop(), getent, lanDns: result.dns, lanTcp53: result.tcp, pings };
  } finally {
    capture.kill();
  }
}

const isWireGuard = (p: Packet) => p.proto === 'udp' && p.dst === LAN_PEER_V4 && p.dport === PEER_PORT;
/** Router and neighbour solicitations, neighbour adverts, MLDv2 reports: the kill switch lets these through by design. */
const isNeighbourDiscovery = (p: Packet) => p.proto === 'icmp6' && [133, 135, 136, 143].includes(p.icmpType ?? -1);
const isDns = (p: Packet) => (p.proto === 'udp' || p.proto === 'tcp') && p.dport === 53;
const isRealLan = (p: Packet) => p.dst.startsWith('10.201.0.') || p.dst.startsWith('fd01::');
const isEcho = (p: Packet, dst: string) => p.dst === dst && ((p.proto === 'icmp' && p.icmpType === 8) || (p.proto === 'icmp6' && p.icmpType === 128));

/** What a phase showed, in a shape that can be compared with what it should show as a whole (so a failure lists every leak). */
function verdict(obs: Observed, mode: Mode) {
  const out = obs.packets.filter((p) => p.out);
  const list = (ps: Packet[]) => [...new Set(ps.map(describePacket))];
  const allowed = (p: Packet) => isWireGuard(p) || isNeighbourDiscovery(p) || (mode === 'allow-lan' && isRealLan(p) && !isDns(p));
  return {
    dnsOnUnderlay: list(out.filter(isDns)),
    otherThanWireGuardOrLan: list(out.filter((p) => !allowed(p))),
    lanOnUnderlay: {
      [`ping ${LAN_PEER_V4}`]: out.some((p) => isEcho(p, LAN_PEER_V4)),
      [`ping ${LAN_PEER_V6}`]: out.some((p) => isEcho(p, LAN_PEER_V6)),
      [`udp ${LAN_PEER_V4}`]: out.some((p) => p.proto === 'udp' && p.dst === LAN_PEER_V4 && p.dport === LAN_UDP_PORT),
      [`udp ${LAN_PEER_V6}`]: out.some((p) => p.proto === 'udp' && p.dst === LAN_PEER_V6 && p.dport === LAN_UDP_PORT),
    },
    lanPingsAnswered: { [LAN_PEER_V4]: obs.pings[LAN_PEER_V4] === 0, [LAN_PEER_V6]: obs.pings[LAN_PEER_V6] === 0 },
    lanResolverAnswered: obs.lanDns.map((d) => `${d.server}: ${/^answer/.test(d.result)}`),
    lanResolverTcpConnected: obs.lanTcp53.map((c) => `${c.host}: ${c.result === 'connected'}`),
  };
}

/** Only WireGuard's UDP (and neighbour discovery); in allow-lan also the real LAN, but never its resolver. */
function expected(mode: Mode): ReturnType<typeof verdict> {
  const lan = mode === 'allow-lan';
  return {
    dnsOnUnderlay: [],
    otherThanWireGuardOrLan: [],
    lanOnUnderlay: {
      [`ping ${LAN_PEER_V4}`]: lan, [`ping ${LAN_PEER_V6}`]: lan, [`udp ${LAN_PEER_V4}`]: lan, [`udp ${LAN_PEER_V6}`]: lan,
    },
    lanPingsAnswered: { [LAN_PEER_V4]: lan, [LAN_PEER_V6]: lan },
    lanResolverAnswered: [`${LAN_PEER_V4}: false`, `${LAN_PEER_V6}: false`],
    lanResolverTcpConnected: [`${LAN_PEER_V4}: false`, `${LAN_PEER_V6}: false`],
  };
}

describe('kill switch: nothing leaks onto the underlay, DNS included', { skip }, () => {
  for (const mode of ['on', 'allow-lan'] as const) {
    it(`${mode}: with the tunnel up and after kill -9 of the engine`, () => withTopology(mode === 'on' ? 'dn' : 'dl', async (t) => {
      await startDnsmasq(t);
      const conf = t.writeConfig(t.config({ allowedIps: '0.0.0.0/0, ::/0', iface: [`DNS = ${TUNNEL_DNS_V4}, ${TUNNEL_DNS_V6}`] }));
      const up = t.runInClient(wiredeskBin, ['up', conf, `--kill-switch=${mode}`]);
      assert.equal(up.status, 0, up.stderr);

      const during = await observe(t);
      await killEngine(t);
      const after = await observe(t);

      assert.deepEqual(
        { 'tunnel up': verdict(during, mode), 'engine dead': verdict(after, mode) },
        { 'tunnel up': expected(mode), 'engine dead': expected(mode) },
        'what left on the underlay, and what the LAN answered',
      );
      assert.match(during.getent.stdout, new RegExp(`^${ANSWER_V4.replace(/\./g, '\\.')}\\s`, 'm'), 'tunnel up: the tunnel\'s DNS answers, through the tunnel');
      assert.equal(during.pings[TUNNEL_PEER_V4], 0, 'tunnel up: the tunnel works');
      assert.equal(during.pings[TUNNEL_PEER_V6], 0, 'tunnel up: the tunnel works over IPv6');
      assert.ok(during.packets.some((p) => p.out && isWireGuard(p)), 'tunnel up: the tunnel\'s traffic is WireGuard UDP on the underlay');
      assert.notEqual(after.getent.status, 0, `engine dead: the lookup must go nowhere, got ${after.getent.stdout}`);
      for (const addr of [TUNNEL_PEER_V4, TUNNEL_PEER_V6, TUNNEL_DNS_V4, TUNNEL_DNS_V6, OUTSIDE_V4, OUTSIDE_V6]) {
        assert.notEqual(after.pings[addr], 0, `engine dead: ${addr} is not reached`);
      }

      const down = t.runInClient(wiredeskBin, ['down', t.ifname]);
      assert.equal(down.status, 0, down.stderr);
    }));
  }
});
