// A private system bus for one test: dbus-daemon with a permissive config on
// a socket in a temporary directory (a path, not an abstract socket, so the
// helper reaches it from inside its network namespace), and python3-dbusmock
// serving logind on it. The helper finds it through DBUS_SYSTEM_BUS_ADDRESS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DbusConnection } from '../../../tunnel-helper/src/helper/system/dbus-client.js';
import { waitFor } from '../../support/netns.js';

export class TestSystemBus {
  readonly dir = mkdtempSync(join(tmpdir(), 'wd-bus-'));
  address = '';
  private children: ChildProcess[] = [];
  private conn: DbusConnection | null = null;

  async start(): Promise<void> {
    const config = join(this.dir, 'bus.conf');
    writeFileSync(config, `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${join(this.dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/>
  </policy>
</busconfig>
`);
    const bus = spawn('dbus-daemon', [`--config-file=${config}`, '--print-address', '--nofork'], { stdio: ['ignore', 'pipe', 'ignore'] });
    this.children.push(bus);
    let out = '';
    bus.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
    await waitFor(() => out.includes('\n') || bus.exitCode !== null, 10_000, 'dbus-daemon to print its address');
    if (bus.exitCode !== null) throw new Error('dbus-daemon exited');
    this.address = out.split('\n')[0]!.trim();
    this.conn = await DbusConnection.open(this.address);
  }

  /** python3-dbusmock's logind template, owning org.freedesktop.login1 on this bus. */
  async startLogind(): Promise<void> {
    const mock = spawn('/usr/bin/python3', ['-m', 'dbusmock', '--system', '--template', 'logind'], {
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: this.address }, stdio: 'ignore',
    });
    this.children.push(mock);
    await waitFor(async () => (await this.conn!.nameHasOwner('org.freedesktop.login1')) || mock.exitCode !== null, 20_000, 'the logind mock');
    if (mock.exitCode !== null) throw new Error('python3-dbusmock exited');
  }

  /** dbusmock's EmitSignal: logind says the computer goes to sleep (true) or woke up (false). */
  async prepareForSleep(sleeping: boolean): Promise<void> {
    await this.conn!.call({
      destination: 'org.freedesktop.login1', path: '/org/freedesktop/login1', interface: 'org.freedesktop.DBus.Mock', member: 'EmitSignal',
      signature: 'sssav', body: ['org.freedesktop.login1.Manager', 'PrepareForSleep', 'b', [{ signature: 'b', value: sleeping }]],
    });
  }

  destroy(): void {
    this.conn?.close();
    for (const c of this.children.reverse()) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
