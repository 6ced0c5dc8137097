// Runs inside a test namespace (`ip netns exec NS node lan-bypass-driver.js`):
//   watch IFNAME   turns the LAN bypass on, then recomputes it on every network
//                  change the helper's NetworkWatch reports, as the tunnel
//                  manager does; prints one JSON line per state
//   kill-switch IFNAME MODE
import { NetworkWatch } from '../../../tunnel-helper/src/helper/system/network-watch.js';
import { listJournals } from '../../../tunnel-helper/src/helper/netconfig/journal.js';
import { refreshLanBypass, setKillSwitch, setLanBypass } from '../../../tunnel-helper/src/helper/netconfig/index.js';

const [command, ifname = '', mode = ''] = process.argv.slice(2);
const print = (v: unknown) => process.stdout.write(`${JSON.stringify(v)}\n`);

if (command === 'watch') {
  print({ routes: await setLanBypass(ifname, true) });
  const watch = new NetworkWatch((name) => listJournals().includes(name), () => {
    refreshLanBypass(ifname).then((routes) => print({ routes }), (err: Error) => print({ error: err.message }));
  });
  watch.start();
  process.on('SIGTERM', () => { watch.stop(); process.exit(0); });
} else if (command === 'kill-switch') {
  await setKillSwitch(ifname, mode as 'on' | 'allow-lan' | 'off');
  print({ ok: true });
} else {
  print({ error: `unknown command ${command}` });
  process.exitCode = 1;
}
