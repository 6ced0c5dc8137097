// The dynamic-DNS scenario the helper test and the bench share: dnsmasq in
// the peer namespace serves HOST (on an address of its own), the client
// namespace resolves through it, and move() sends the wireguard-go peer to a
// new address and changes the record.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '../../support/netns.js';
import { PEER_V4, type HelperFixture } from './fixture.js';

export const DNS_V4 = '192.168.240.53';
export const MOVED_V4 = '192.168.240.3';
export const HOST = 'vpn.wiredesk-ddns.test';

export class DdnsScenario {
  private readonly hostsFile: string;
  private readonly dnsmasq: ReturnType<HelperFixture['peer']['spawn']>;

  constructor(private readonly fx: HelperFixture) {
    // A /32 of its own: removing the peer's /24 address in move() must not take the secondaries with it.
    fx.peer.exec('ip', ['addr', 'add', `${DNS_V4}/32`, 'dev', fx.peerVeth]);
    this.hostsFile = join(fx.dir, 'ddns.hosts');
    writeFileSync(this.hostsFile, `${PEER_V4} ${HOST}\n`);
    this.dnsmasq = fx.peer.spawn('dnsmasq', ['--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', `--addn-hosts=${this.hostsFile}`,
      `--listen-address=${DNS_V4}`, '--bind-interfaces', '--local-ttl=0', '--user=root', '--pid-file=']);
    // Only the client namespace's resolver changes (ip netns exec bind-mounts /etc/netns/NAME/resolv.conf).
    fx.client.setResolvConf(`nameserver ${DNS_V4}\noptions timeout:1 attempts:2\n`);
  }

  async ready(): Promise<void> {
    await waitFor(() => this.resolves(PEER_V4), 10_000, 'dnsmasq to answer');
  }

  resolves(ip: string): boolean {
    return this.fx.client.status('getent', ['hosts', HOST], 5_000) === 0 && this.fx.client.exec('getent', ['hosts', HOST]).includes(ip);
  }

  /** The server moves to MOVED_V4 and its record follows; resolves once the client namespace sees the new record. */
  async move(): Promise<void> {
    this.fx.peer.exec('ip', ['addr', 'del', `${PEER_V4}/24`, 'dev', this.fx.peerVeth]);
    this.fx.peer.exec('ip', ['addr', 'add', `${MOVED_V4}/24`, 'dev', this.fx.peerVeth]);
    writeFileSync(this.hostsFile, `${MOVED_V4} ${HOST}\n`);
    this.dnsmasq.kill('SIGHUP'); // rereads --addn-hosts; reaches dnsmasq through `ip netns exec`, which execs it
    await waitFor(() => this.resolves(MOVED_V4), 10_000, 'the new record');
  }
}
