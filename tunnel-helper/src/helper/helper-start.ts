// `wiredesk-helper --start`: what the app asks for (through pkexec and the
// shipped polkit action) when the installed helper is not running. Where
// systemd is the init system the user's instance of the template unit is
// enabled and started, so it comes back at boot; elsewhere the helper is
// started as a daemon.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { serviceInstance } from '../install/layout.js';

/** systemd's own test for "booted with systemd" (sd_booted). */
const systemdRuns = () => existsSync('/run/systemd/system');

export async function startService(ownerUid: number, daemonize: () => Promise<number>): Promise<number> {
  if (!systemdRuns()) return daemonize();
  const r = spawnSync('systemctl', ['enable', '--now', serviceInstance(ownerUid)], { encoding: 'utf8' });
  if (r.status === 0) return 0;
  process.stderr.write(`wiredesk-helper: systemctl could not start ${serviceInstance(ownerUid)}: ${(r.stderr || r.error?.message || '').trim()}\n`);
  return 1;
}
