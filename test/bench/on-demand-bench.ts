// A section of `npm run bench` (root): how fast on-demand reacts
// when the computer moves to another network. The real helper in a
// namespace, app-core's controller on a real control connection and a
// wireguard-go peer, as in test/helper/control/on-demand.test.ts; the default
// route alternates between two gateways (A trusted, B not), and each move is
// timed to
//   - the helper's `network` event (rtnetlink news -> identity), and
//   - the tunnel being up by rule on B (first ping answered through it).
// No other Linux client has on-demand rules, so there is no reference to
// print beside it; the helper's backstop poll (2 s) bounds the first figure.
import { createAppCore } from '../../electron/app-core/app-core.js';
import { connectControl } from '../../electron/app-core/helper/control-adapter.js';
import { HELPER_VERSION } from '../../tunnel-helper/src/helper/control/helper.js';
import { isRoot, vethPair, waitFor } from '../support/netns.js';
import { loaded, recordingPorts } from '../unit/electron/fakes.js';
import { HelperFixture, OWNER_UID, PEER_V4 } from '../helper/control/fixture.js';

const ROUNDS = Number(process.env.BENCH_ONDEMAND_ROUNDS ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

export async function onDemandBench(): Promise<void> {
  if (!isRoot()) throw new Error('the on-demand bench needs root');
  if (ROUNDS <= 0) return;
  // No NetworkManager here: the helper names networks by gateway MAC and subnet.
  const bus = process.env.DBUS_SYSTEM_BUS_ADDRESS;
  process.env.DBUS_SYSTEM_BUS_ADDRESS = 'unix:path=/nonexistent/wiredesk-bench-bus';
  const fx = new HelperFixture();
  try {
    const peer = fx.addPeer(1);
    const name = fx.tunnelName(1);
    vethPair(fx.client, '192.168.241.1/24', fx.peer, '192.168.241.2/24');
    fx.client.exec('ip', ['route', 'add', 'default', 'via', PEER_V4]);
    await fx.startHelper();
    const core = createAppCore(recordingPorts({
      connect: () => connectControl(fx.socketPath, OWNER_UID), appVersion: HELPER_VERSION,
      installed: () => ({ state: 'current', version: HELPER_VERSION }) as const,
      install: () => Promise.reject(new Error('no')), start: () => Promise.reject(new Error('no')),
    }));
    core.profiles.write(name, loaded(fx.configFor(peer)));
    if (!(await core.helper.attachIfRunning())) throw new Error(`the app could not reach the helper: ${fx.helperOutput}`);
    const key = async () => (await core.handlers['ondemand:get']()).network?.key ?? null;
    await waitFor(async () => (await key()) !== null, 15_000, 'the first network').catch((e: Error) => { throw new Error(`${e.message}\n${fx.helperOutput}`); });
    await core.handlers['ondemand:trustCurrent']();
    await core.handlers['ondemand:setRule'](name, { mode: 'untrusted', networks: [] });
    const A = await key();
    const identify: number[] = [];
    const upByRule: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      fx.client.exec('ip', ['route', 'replace', 'default', 'via', '192.168.241.2']);
      await waitFor(async () => (await key()) !== A, 15_000, 'network B');
      identify.push(performance.now() - t0);
      await waitFor(() => fx.client.status('ping', ['-c', '1', '-W', '1', '10.240.1.2']) === 0, 30_000, 'a ping through the tunnel');
      upByRule.push(performance.now() - t0);
      fx.client.exec('ip', ['route', 'replace', 'default', 'via', PEER_V4]);
      await waitFor(async () => (await key()) === A && core.tunnels.stateOf(name) === 'down', 15_000, 'back on A, tunnel off');
    }
    console.log(`on-demand, median of ${ROUNDS} moves to an untrusted network:`);
    console.log(`  gateway change -> helper reports the new network   ${median(identify).toFixed(0)} ms`);
    console.log(`  gateway change -> first ping through the tunnel    ${median(upByRule).toFixed(0)} ms (reference: none; no other Linux client has on-demand rules)`);
    core.helper.current()?.close();
  } finally {
    fx.destroy();
    if (bus === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = bus;
  }
}
