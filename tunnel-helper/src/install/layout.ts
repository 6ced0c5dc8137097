// Where the helper lives once installed, and what it is made of. Root runs
// the helper only from this root-owned prefix: the app's first authorization
// (or the .deb's postinst) copies the runtime and the helper's files here.
//
//   /opt/wiredesk-helper/
//     bin/wiredesk-helper   the one launcher: the polkit action's exec.path and the unit's ExecStart
//     runtime/              the app's runtime (Electron's binary and the files it loads beside it)
//     app/                  HELPER_TREE, laid out as in the app, so the same relative imports work
//     uninstall             removes what the installer added
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HELPER_PREFIX = '/opt/wiredesk-helper';

export interface HelperLayout {
  readonly prefix: string;
  readonly launcher: string;
  readonly runtimeDir: string;
  readonly appRoot: string;
  readonly uninstall: string;
}

export function helperLayout(prefix = HELPER_PREFIX): HelperLayout {
  return {
    prefix,
    launcher: join(prefix, 'bin/wiredesk-helper'),
    runtimeDir: join(prefix, 'runtime'),
    appRoot: join(prefix, 'app'),
    uninstall: join(prefix, 'uninstall'),
  };
}

/** Everything the helper and its engines load, relative to the app root. */
export const HELPER_TREE = [
  'package.json',
  'tunnel-helper/bin',
  'dist/shared',
  'dist/tunnel-helper',
  'node_modules/koffi',
  'node_modules/@koromix',
  'node_modules/@noble',
] as const;

/** The entry that the launcher, the CLI and the app all run (tunnel-helper/bin/wiredesk-helper). */
export const HELPER_ENTRY = 'tunnel-helper/bin/wiredesk-helper';

/** Files the installer puts outside the prefix, from the app's build/ (same path in the dev tree and the package). */
export const SYSTEM_FILES = [
  { from: 'build/linux/dev.wiredesk.helper.policy', to: '/usr/share/polkit-1/actions/dev.wiredesk.helper.policy' },
  { from: 'build/systemd/wiredesk-helper@.service', to: '/etc/systemd/system/wiredesk-helper@.service' },
] as const;

/** The polkit action whose exec.path is the launcher: starting the installed helper asks for it. */
export const POLKIT_ACTION = 'dev.wiredesk.helper.start';

export const serviceInstance = (uid: number) => `wiredesk-helper@${uid}.service`;

/** The running helper's pid, so an update can hand its tunnels to the new one. */
export const HELPER_PID_FILE = '/run/wiredesk/helper.pid';

/** The app root this module was loaded from (dist/tunnel-helper/src/install/ is four levels down). */
export function ownAppRoot(): string {
  return fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');
}

/** The version in an app root's package.json: the app's and its helper's are one. */
export function appVersion(appRoot: string): string {
  const version = (JSON.parse(readFileSync(join(appRoot, 'package.json'), 'utf8')) as { version?: unknown }).version;
  if (typeof version !== 'string') throw new Error(`${appRoot}/package.json has no version`);
  return version;
}

/** The installed helper's version, or null when none is installed. */
export function installedVersion(layout = helperLayout()): string | null {
  try {
    return appVersion(layout.appRoot);
  } catch {
    return null;
  }
}
