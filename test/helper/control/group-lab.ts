// A failover group with real parts: two wireguard-go peers that serve the
// same address (the "office" at 10.250.0.1) on two ports, the real helper,
// and app-core as the app runs it, connected to that helper over its socket.
//
//   client ns: helper, tunnels t1 (primary) and t2 (backup), AllowedIPs 10.250.0.1/32
//   peer ns:   wireguard-go p1 :52001 and p2 :52002, both with 10.250.0.1
//
// block(p) drops the peer's WireGuard port with nft in the peer namespace.
import { createAppCore, type AppCore } from '../../../electron/app-core/app-core.js';
import { connectControl } from '../../../electron/app-core/helper/control-adapter.js';
import type { GroupSpec, GroupStatus } from '../../../shared/ipc/groups.js';
import { HELPER_VERSION } from '../../../tunnel-helper/src/helper/control/helper.js';
import { loaded, recordingPorts } from '../../unit/electron/fakes.js';
import { HelperFixture, OWNER_UID, type Peer } from './fixture.js';

export const OFFICE = '10.250.0.1';

export class GroupLab {
  readonly fx = new HelperFixture();
  core!: AppCore;
  primary!: Peer;
  backup!: Peer;

  get names(): [string, string] {
    return [this.fx.tunnelName(1), this.fx.tunnelName(2)];
  }

  async start(group: Omit<GroupSpec, 'members'>): Promise<void> {
    this.primary = this.fx.addPeer(1);
    this.backup = this.fx.addPeer(2);
    for (const p of [this.primary, this.backup]) this.fx.peer.exec('ip', ['addr', 'add', `${OFFICE}/32`, 'dev', p.ifname]);
    await this.fx.startHelper();
    const launcher = {
      appVersion: HELPER_VERSION,
      connect: () => connectControl(this.fx.socketPath, OWNER_UID),
      installed: () => ({ state: 'current', version: HELPER_VERSION }) as const,
      install: async () => { throw new Error('the helper runs from the checkout in this test'); },
      start: async () => { throw new Error('the test started the helper already'); },
    };
    this.core = createAppCore(recordingPorts(launcher, { now: Date.now }));
    for (const [i, p] of [this.primary, this.backup].entries()) {
      this.core.profiles.write(this.names[i]!, loaded(this.fx.configFor(p, { allowedIps: `${OFFICE}/32` })));
    }
    this.core.tunnels.profilesChanged();
    await this.core.handlers['groups:save'](null, { ...group, members: this.names });
  }

  get group(): GroupStatus {
    return this.core.groups.list()[0]!;
  }

  block(p: Peer): void {
    this.fx.peer.exec('nft', ['-f', '-'], {
      input: `table inet wdfo${p.index} {\n  chain input {\n    type filter hook input priority -10; policy accept;\n    udp dport ${p.port} drop\n  }\n}\n`,
    });
  }

  unblock(p: Peer): void {
    this.fx.peer.exec('nft', ['delete', 'table', 'inet', `wdfo${p.index}`]);
  }

  /** Bytes the peer received from the client so far (wg show transfer). */
  received(p: Peer): number {
    const line = this.fx.peer.exec('wg', ['show', p.ifname, 'transfer']).trim();
    return Number(line.split(/\s+/)[1] ?? 0);
  }

  pingOffice(): boolean {
    return this.fx.client.status('ping', ['-c', '1', '-W', '1', OFFICE], 5_000) === 0;
  }

  async destroy(): Promise<void> {
    if (this.core) {
      this.core.groups.stop();
      for (const n of this.names) await this.core.tunnels.setActive(n, false).catch(() => undefined);
      this.core.helper.current()?.close();
    }
    this.fx.destroy();
  }
}
