// DDNS recovery for `npm run bench`: the time from a dynamic-DNS record change
// (the server moved) until traffic flows through the tunnel again, through
// the real helper. There is no reference to set it against: neither wg-quick
// nor wireguard-go looks an endpoint name up again after `up`.
import { HelperFixture, collect } from '../helper/control/fixture.js';
import { DdnsScenario, HOST } from '../helper/control/ddns-scenario.js';
import { hasCommand, waitFor } from '../support/netns.js';
import type { EventData } from '../../shared/control/protocol.js';

export async function ddnsRecoveryBench(runs = 3): Promise<void> {
  if (!hasCommand('dnsmasq') || !hasCommand('wireguard-go')) {
    process.stdout.write('  DDNS recovery: skipped (needs dnsmasq and wireguard-go)\n');
    return;
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  times.sort((a, b) => a - b);
  process.stdout.write(`  DDNS recovery (record change -> traffic flows again), median of ${runs}: ${times[Math.floor(runs / 2)]} ms ` +
    `[${times.join(', ')}]; reference: none (wg-quick and wireguard-go never re-resolve an endpoint name)\n`);
}

async function once(): Promise<number> {
  const fx = new HelperFixture();
  try {
    const ddns = new DdnsScenario(fx);
    await ddns.ready();
    const p = fx.addPeer(1);
    await fx.startHelper();
    const app = await fx.connect();
    const name = fx.tunnelName(1);
    const states = collect<EventData<'tunnel-state'>>((cb) => app.on('tunnel-state', cb));
    await app.call('up', { name, configText: fx.configFor(p, { endpoint: `${HOST}:${p.port}` }) });
    await waitFor(() => states.items.some((s) => s.state === 'up'), 15_000, 'up');
    const pinger = fx.client.spawn('ping', ['-i', '0.2', '-W', '1', `10.240.${p.index}.2`]);
    const changedAt = Date.now();
    await ddns.move();
    let flowingAt = 0;
    await waitFor(() => {
      if (fx.client.status('ping', ['-c', '1', '-W', '1', `10.240.${p.index}.2`], 5_000) !== 0) return false;
      flowingAt = Date.now();
      return true;
    }, 60_000, 'traffic again');
    pinger.kill('SIGKILL');
    return flowingAt - changedAt;
  } finally {
    fx.destroy();
  }
}
