// How the app (the user) gets a root helper, with one authorization at a time:
//   install(): sudo-prompt → pkexec → /bin/sh runs the install script: the
//              runtime and the helper are copied into root's /opt/wiredesk-helper,
//              the polkit action and the unit template put in place, and the
//              helper started. First run and updates.
//   start():   pkexec runs the installed launcher itself, so polkit asks for
//              the shipped action (dev.wiredesk.helper.start), not "run a shell".
// Root never executes a file of the app's own directory, which the user (and so
// any process of the user) can change.
import { spawn } from 'node:child_process';
import { exec } from 'sudo-prompt';
import { DEFAULT_SOCKET_PATH } from '../../../tunnel-helper/src/install/socket-security.js';
import { installScript, sudoPromptCommand } from '../../../tunnel-helper/src/install/install-script.js';
import { appVersion, helperLayout, installedVersion } from '../../../tunnel-helper/src/install/layout.js';
import { connectControl } from './control-adapter.js';
import type { HelperInstall, HelperLauncher } from './helper-connection.js';

export interface LauncherOptions {
  /** The app's root (the dev checkout, or resources/app when packaged). */
  readonly appRoot: string;
  /** The app's runtime binary (Electron's), copied to run the helper as Node. */
  readonly runtime: string;
  readonly uid: number;
}

const PKEXEC = '/usr/bin/pkexec';
// sudo-prompt's own words for "never elevated" (index.js), which it puts in error.message.
const SUDO_PROMPT_DENIED = 'User did not grant permission.';
const SUDO_PROMPT_NO_AGENT = 'No polkit authentication agent found.';

export const CANCELLED_MESSAGE = 'The password prompt was cancelled or the password was not accepted, so nothing was changed. Switch the tunnel on again to retry.';
export const NO_AGENT_MESSAGE = 'No password prompt could be shown: this desktop session has no polkit authentication agent running. Start one (most desktops do at login) and retry.';

/** pkexec's exit codes: 126, the dialog was dismissed; 127, not authorized or no agent. */
export function pkexecFailure(code: number | null, stderr: string): string {
  if (/No authentication agent found/.test(stderr)) return NO_AGENT_MESSAGE;
  if (code === 126 || code === 127) return CANCELLED_MESSAGE;
  const why = stderr.trim().split('\n').filter(Boolean).at(-1);
  return why ? why.replace(/^wiredesk-helper: /, '') : `the helper exited with code ${code ?? 'unknown'}`;
}

function sudo(script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    exec(sudoPromptCommand(script), { name: 'WireDesk' }, (error, _stdout, stderr) => {
      if (!error) return resolve();
      if (error.message === SUDO_PROMPT_DENIED) return reject(new Error(CANCELLED_MESSAGE));
      if (error.message === SUDO_PROMPT_NO_AGENT) return reject(new Error(NO_AGENT_MESSAGE));
      const why = String(stderr ?? '').trim().split('\n').filter(Boolean).at(-1) ?? error.message;
      reject(new Error(why.replace(/^wiredesk-helper: /, '')));
    });
  });
}

function pkexec(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(PKEXEC, ['--disable-internal-agent', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', (e) => reject(new Error(`pkexec could not be run: ${e.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(pkexecFailure(code, stderr)))));
  });
}

export function createHelperLauncher(o: LauncherOptions): HelperLauncher {
  const layout = helperLayout();
  const version = appVersion(o.appRoot);
  return {
    appVersion: version,
    connect: () => connectControl(DEFAULT_SOCKET_PATH, o.uid),
    installed(): HelperInstall {
      const v = installedVersion(layout);
      return v === null ? { state: 'none' } : v === version ? { state: 'current', version: v } : { state: 'outdated', version: v };
    },
    install: () => sudo(installScript({ appRoot: o.appRoot, runtime: o.runtime }, { startForUid: o.uid }, layout)),
    start: () => pkexec([layout.launcher, '--owner-uid', String(o.uid), '--start']),
  };
}
