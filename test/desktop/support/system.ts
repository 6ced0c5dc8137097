// The system side of a desktop session, as a distribution sets it up: a
// system D-Bus, polkitd on it, a non-root user, and a polkit rule standing
// in for that user's password prompt. The test starts what is not already
// running and stops only what it started.
//
// The rule lets the user through without a password for the helper's own
// action (dev.wiredesk.helper.start) always, and for "run a program as root"
// (org.freedesktop.policykit.exec, what sudo-prompt asks for) only while the
// gate file exists: with it removed, the prompt is refused, as when a user
// cancels it, and a start that still works proves the shipped action was used.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { run, waitFor } from '../../support/netns.js';

const BUS_SOCKET = '/run/dbus/system_bus_socket';
const POLKITD = '/usr/lib/polkit-1/polkitd';
const RULE_FILE = '/etc/polkit-1/rules.d/00-wiredesk-desktop-test.rules';

/** Whether the system bus answers and `name` has an owner on it. */
const busAnswers = (name: string) => {
  try {
    return /boolean true/.test(execFileSync('dbus-send', ['--system', '--dest=org.freedesktop.DBus', '--print-reply', '/org/freedesktop/DBus',
      'org.freedesktop.DBus.NameHasOwner', `string:${name}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 }));
  } catch {
    return false;
  }
};

export class DesktopSystem {
  readonly user = `wdtest${process.pid % 10000}`;
  readonly gate = `/run/wiredesk-desktop-test-${process.pid}.gate`;
  uid = -1;
  private busPid: number | null = null;
  private polkitd: ChildProcess | null = null;

  async start(): Promise<void> {
    if (!busAnswers('org.freedesktop.DBus')) {
      mkdirSync('/run/dbus', { recursive: true });
      rmSync(BUS_SOCKET, { force: true });
      this.busPid = Number(run('dbus-daemon', ['--system', '--fork', '--print-pid', '--nopidfile']).trim());
      await waitFor(() => busAnswers('org.freedesktop.DBus'), 10_000, 'the system bus');
    }
    run('useradd', ['--no-create-home', '--home-dir', '/nonexistent', '--shell', '/bin/sh', this.user]);
    this.uid = Number(run('id', ['-u', this.user]).trim());
    writeFileSync(RULE_FILE, [
      'polkit.addRule(function (action, subject) {',
      `  if (subject.user != ${JSON.stringify(this.user)}) return polkit.Result.NOT_HANDLED;`,
      '  if (action.id == "dev.wiredesk.helper.start") return polkit.Result.YES;',
      '  if (action.id != "org.freedesktop.policykit.exec") return polkit.Result.NOT_HANDLED;',
      '  try {',
      `    polkit.spawn(["/usr/bin/test", "-e", ${JSON.stringify(this.gate)}]);`,
      '    return polkit.Result.YES;',
      '  } catch (e) {',
      '    return polkit.Result.NO;',
      '  }',
      '});',
      '',
    ].join('\n'), { mode: 0o644 });
    if (!busAnswers('org.freedesktop.PolicyKit1')) {
      this.polkitd = spawn(POLKITD, ['--no-debug'], { stdio: 'ignore' });
      await waitFor(() => busAnswers('org.freedesktop.PolicyKit1'), 10_000, 'polkitd on the system bus');
    }
    this.openGate(true);
    // polkitd reads rule files as they appear: wait until this one answers.
    await waitFor(() => {
      try {
        run('runuser', ['-u', this.user, '--', '/usr/bin/pkexec', '--disable-internal-agent', '/bin/true']);
        return true;
      } catch {
        return false;
      }
    }, 10_000, 'polkitd to load the test rule');
  }

  /** Opens or closes the gate for org.freedesktop.policykit.exec (sudo-prompt's prompt). */
  openGate(open: boolean): void {
    if (open) writeFileSync(this.gate, '');
    else rmSync(this.gate, { force: true });
  }

  stop(): void {
    rmSync(RULE_FILE, { force: true });
    rmSync(this.gate, { force: true });
    if (this.uid >= 0) {
      try { run('userdel', [this.user]); } catch { /* already gone */ }
    }
    this.polkitd?.kill('SIGTERM');
    if (this.busPid) {
      try { process.kill(this.busPid, 'SIGTERM'); } catch { /* gone */ }
    }
  }
}

export const hasDesktopTools = () => ['/usr/bin/pkexec', POLKITD, '/usr/bin/dbus-daemon', '/usr/bin/dbus-send'].every((p) => existsSync(p));
