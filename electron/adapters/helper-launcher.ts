// Starting the privileged helper. The first time, sudo-prompt asks for the
// password (pkexec/polkit on Linux) and runs `wiredesk-helper --owner-uid UID
// --daemon` as root; "Install helper service" puts the systemd unit in place
// once so later starts need no password. Either way the app then connects
// through control-adapter, whose client checks the socket's ownership first.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from 'sudo-prompt';
import { DEFAULT_SOCKET_PATH } from '../../tunnel-helper/src/control/socket-security.js';
import { connectControl } from '../app-core/helper/control-adapter.js';
import type { HelperLauncher } from '../app-core/helper/helper-connection.js';

export interface HelperPaths {
  /** The JS entry of wiredesk-helper (dist/tunnel-helper/src/cli/wiredesk-helper.js, unpacked from asar). */
  readonly helperEntry: string;
  /** Directory holding the systemd unit shipped with the app. */
  readonly systemdDir: string;
}

const UNIT = 'wiredesk-helper.service';
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function sudo(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // Electron's binary runs plain Node scripts with ELECTRON_RUN_AS_NODE=1.
    exec(command, { name: 'WireDesk', env: { ELECTRON_RUN_AS_NODE: '1' } }, (error, _stdout, stderr) => {
      if (error) reject(new Error(String(stderr || error.message).trim() || 'The password prompt was cancelled.'));
      else resolve();
    });
  });
}

export function sudoPromptLauncher(paths: HelperPaths, socketPath = DEFAULT_SOCKET_PATH): HelperLauncher {
  const uid = process.getuid?.() ?? 0;
  const installedUnit = () => ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system'].find((d) => existsSync(join(d, UNIT)));
  return {
    connect: () => connectControl(socketPath, uid),
    launch: () => sudo(`${quote(process.execPath)} ${quote(paths.helperEntry)} --owner-uid ${uid} --socket ${quote(socketPath)} --daemon`),
    isServiceInstalled: () => installedUnit() !== undefined,
    async installService() {
      const template = readFileSync(join(paths.systemdDir, UNIT), 'utf8');
      // The shipped unit names the helper by its packaged path; point it at this install and user.
      const unit = template.replace(/^ExecStart=.*$/m, `ExecStart=${process.execPath} ${paths.helperEntry} --owner-uid ${uid} --socket ${socketPath}`);
      const script = [
        `printf %s ${quote(unit)} > /etc/systemd/system/${UNIT}`,
        `mkdir -p /etc/systemd/system/${UNIT}.d`,
        `printf '[Service]\\nEnvironment=ELECTRON_RUN_AS_NODE=1\\n' > /etc/systemd/system/${UNIT}.d/electron.conf`,
        'systemctl daemon-reload',
        `systemctl enable --now ${UNIT}`,
      ].join(' && ');
      await sudo(`sh -c ${quote(script)}`);
    },
  };
}
