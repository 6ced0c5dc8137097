// Starting the privileged helper. The first time, sudo-prompt asks for the
// password (pkexec/polkit on Linux) and runs `wiredesk-helper --owner-uid UID
// --daemon` as root; "Install helper service" puts the systemd unit in place
// once so later starts need no password. Either way the app then connects
// through control-adapter, whose client checks the socket's ownership first.
// The service is the shipped template unit, installed only when the files it
// runs as root are root's alone (see app-core/helper/service-install-check).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exec } from 'sudo-prompt';
import { DEFAULT_SOCKET_PATH } from '../../tunnel-helper/src/control/socket-security.js';
import { connectControl } from '../app-core/helper/control-adapter.js';
import {
  SERVICE_TEMPLATE, checkServiceInstall, installScript, serviceUnitText, shellQuote, sudoPromptCommand,
} from '../app-core/helper/service-install-check.js';
import type { HelperLauncher } from '../app-core/helper/helper-connection.js';

export interface HelperPaths {
  /** The JS entry of wiredesk-helper (dist/tunnel-helper/src/cli/wiredesk-helper.js, unpacked from asar). */
  readonly helperEntry: string;
  /** Directory holding the systemd template unit shipped with the app (wiredesk-helper@.service). */
  readonly systemdDir: string;
}


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
  const installedUnit = () => ['/etc/systemd/system', '/lib/systemd/system', '/usr/lib/systemd/system']
    .find((d) => existsSync(join(d, SERVICE_TEMPLATE)));
  return {
    connect: () => connectControl(socketPath, uid),
    launch: () => sudo(sudoPromptCommand(
      `exec ${[process.execPath, paths.helperEntry].map(shellQuote).join(' ')} --owner-uid ${uid} --socket ${shellQuote(socketPath)} --daemon </dev/null\n`,
    )),
    isServiceInstalled: () => installedUnit() !== undefined,
    async installService() {
      // systemd would run these as root at every boot: refuse files the user (or anyone but root) can change.
      const check = checkServiceInstall([process.execPath, paths.helperEntry]);
      if (!check.ok) throw new Error(check.message);
      const template = readFileSync(join(paths.systemdDir, SERVICE_TEMPLATE), 'utf8');
      const unit = serviceUnitText(template, {
        execPath: process.execPath,
        helperEntry: paths.helperEntry,
        ...(socketPath !== DEFAULT_SOCKET_PATH ? { socketPath } : {}),
      });
      await sudo(sudoPromptCommand(installScript(unit, uid)));
    },
  };
}
