// A failover group as the app runs it (app-core's group controller over the
// real control connection) with the real helper and two wireguard-go peers:
// the primary is blocked with nft, the group fails over and traffic to the
// office flows through the backup; the primary is unblocked, passes its
// handshake-only probes for the holding time, and the group fails back,
// once. Times are the group's configuration (short here), not stopwatches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EventData } from '../../../shared/control/protocol.js';
import { hasCommand, isRoot, waitFor } from '../../support/netns.js';
import { collect } from './fixture.js';
import { GroupLab, OFFICE } from './group-lab.js';

const skip = !isRoot() ? 'needs root' : !hasCommand('wireguard-go') ? 'needs wireguard-go' : !hasCommand('nft') ? 'needs nft' : false;
const TIMING = { failAfterSeconds: 1, dwellSeconds: 2, holdSeconds: 4, probeEverySeconds: 1, deadAfterSeconds: 5 };

describe('failover group', { skip }, () => {
  let lab: GroupLab;
  before(async () => {
    lab = new GroupLab();
    await lab.start({ name: 'Office', ...TIMING });
  });
  after(async () => lab?.destroy());

  it('fails over to the backup when the primary is blocked, and back once the primary proves healthy', async () => {
    const [primary, backup] = lab.names;
    await lab.core.handlers['groups:setActive']('Office', true);
    await waitFor(() => lab.core.tunnels.stateOf(primary) === 'up', 20_000, 'the primary to be up');
    assert.equal(lab.group.active, primary);
    assert.ok(lab.pingOffice(), `${OFFICE} answers through the primary`);

    lab.block(lab.primary);
    const pinger = lab.fx.client.spawn('ping', ['-i', '0.3', '-W', '1', OFFICE]); // traffic waits: the helper's dead-tunnel detection sees it
    try {
      await waitFor(() => lab.group.active === backup && lab.core.tunnels.stateOf(backup) === 'up', 60_000, 'the group to fail over');
    } finally {
      pinger.kill('SIGKILL');
    }
    assert.deepEqual(lab.group.reason, { code: 'failed-over', from: primary, to: backup });
    assert.equal(lab.core.tunnels.stateOf(primary), 'down', 'one member at a time');
    const before = lab.received(lab.backup);
    assert.ok(lab.pingOffice(), `${OFFICE} answers while the primary is blocked`);
    assert.ok(lab.received(lab.backup) > before, 'the ping went through the backup');
    // The helper judged the primary (the app does not guess), and the app saw it before switching.
    const logs = lab.core.tunnels.logs(primary).map((l) => l.text).join('\n');
    assert.match(logs, /State: up → (reconnecting|degraded)/);

    // While blocked, the primary's probes fail: no fail-back however long we wait for one probe cycle more.
    const probesSeen = collect<EventData<'log'>>((cb) => lab.core.helper.current()!.on('log', cb));
    await waitFor(() => probesSeen.items.filter((l) => l.tunnel === primary && /^Probe: No handshake/.test(l.text)).length >= 2, 30_000, 'failed probes of the blocked primary');
    assert.equal(lab.group.active, backup);

    lab.unblock(lab.primary);
    await waitFor(() => lab.group.active === primary && lab.core.tunnels.stateOf(primary) === 'up', 60_000, 'the group to fail back');
    assert.equal(lab.group.reason?.code, 'failed-back');
    assert.ok(probesSeen.items.filter((l) => l.tunnel === primary && /^Probe: the peer answered/.test(l.text)).length >= 2,
      'the primary answered probes for the holding time before it took the routes back');
    const viaPrimary = lab.received(lab.primary);
    assert.ok(lab.pingOffice(), `${OFFICE} answers through the primary again`);
    assert.ok(lab.received(lab.primary) > viaPrimary, 'the ping went through the primary');
    probesSeen.stop();

    // Longer than hold + dwell with both peers healthy: still the two switches, no flap.
    await new Promise((r) => setTimeout(r, (TIMING.holdSeconds + TIMING.dwellSeconds + 2) * 1000));
    assert.equal(lab.group.switches, 2);
    assert.equal(lab.group.active, primary);
    assert.equal(lab.core.tunnels.stateOf(backup), 'down');
  });

  it('refuses a probe of a tunnel that is up, and probes leave no interface behind', async () => {
    const [primary] = lab.names;
    const helper = lab.core.helper.current()!;
    await assert.rejects(helper.call('probe', { name: primary, configText: lab.core.profiles.read(primary) }), /is up; its own state says whether it is healthy/);
    const links = lab.fx.client.exec('ip', ['-o', 'link', 'show']);
    assert.doesNotMatch(links, /wdpb\d+/, 'no probe interface is left');
    await lab.core.handlers['groups:setActive']('Office', false);
    assert.equal(lab.core.tunnels.stateOf(primary), 'down');
  });
});
