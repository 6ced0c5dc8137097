// The app's main-process side of a user's desktop session, minus the window:
// app-core's real helper launcher and supervisor, loaded from the packaged
// app, run as the test user on the app's runtime. The test drives it with
// one JSON line per call on stdin and reads one JSON line per reply or
// event on stdout. It imports nothing of its own: everything comes from the
// app root given as its argument.
import { createInterface } from 'node:readline';

type Json = Record<string, unknown>;
// Electron's main process runs without it; only the stand-in needed it to start.
delete process.env.ELECTRON_RUN_AS_NODE;
const appRoot = process.argv[2]!;
const load = <T>(path: string): Promise<T> => import(`${appRoot}/dist/electron/app-core/helper/${path}`) as Promise<T>;

const { createHelperLauncher } = await load<typeof import('../../../electron/app-core/helper/helper-launcher.js')>('helper-launcher.js');
const { HelperSupervisor } = await load<typeof import('../../../electron/app-core/helper/helper-supervisor.js')>('helper-supervisor.js');

const send = (line: Json) => process.stdout.write(`${JSON.stringify(line)}\n`);
const launcher = createHelperLauncher({ appRoot, runtime: process.argv[3]!, uid: process.getuid!() });
const supervisor = new HelperSupervisor(launcher);
supervisor.onStatus((status) => send({ event: 'status', data: status }));
supervisor.onConnect((c) => {
  c.on('tunnel-state', (d) => send({ event: 'tunnel-state', data: d }));
  c.on('handshake', (d) => send({ event: 'handshake', data: d }));
  c.on('stats', (d) => send({ event: 'stats', data: d }));
});

const calls: Record<string, (args: Json) => Promise<unknown>> = {
  whoami: async () => ({ uid: process.getuid!(), execPath: process.execPath, runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null }),
  installed: async () => launcher.installed(),
  ensure: async () => (await supervisor.ensure(), supervisor.getStatus()),
  status: async () => supervisor.getStatus(),
  setup: async () => supervisor.setup(),
  restart: async () => supervisor.restart(),
  hello: async () => ({ version: (await supervisor.ensure()).hello.helperVersion }),
  list: async () => (await (await supervisor.ensure()).call('listTunnels', {})).tunnels,
  up: async (a) => void await (await supervisor.ensure()).call('up', { name: String(a.name), configText: String(a.config), options: { killSwitch: 'off' } }),
  down: async (a) => void await (await supervisor.ensure()).call('down', { name: String(a.name) }),
};

for await (const line of createInterface({ input: process.stdin })) {
  const { id, op, args } = JSON.parse(line) as { id: number; op: string; args?: Json };
  const call = calls[op];
  if (!call) {
    send({ id, ok: false, error: `unknown op ${op}` });
    continue;
  }
  call(args ?? {}).then(
    (result) => send({ id, ok: true, result: result ?? null }),
    (e: Error) => send({ id, ok: false, error: e.message }),
  );
}
supervisor.current()?.close();
