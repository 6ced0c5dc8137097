// wg-quick names the interface after the config file: `wg0.conf` -> `wg0`,
// and refuses any name outside [a-zA-Z0-9_=+.-]{1,15} (IFNAMSIZ - 1). A
// WireDesk tunnel is named after its interface, so this is the tunnel-name
// rule everywhere: profiles, the app's IPC and the helper's protocol.
import { str } from '../check.js';

const INTERFACE_NAME = /^[a-zA-Z0-9_=+.-]{1,15}$/;

export function isValidInterfaceName(name: string): boolean {
  return INTERFACE_NAME.test(name);
}

/** The same rule as a protocol check (shared/check.ts). */
export const tunnelName = str({ max: 15, pattern: INTERFACE_NAME, hint: 'a tunnel name of 1-15 characters from a-z A-Z 0-9 _ = + . -' });

/** `/etc/wireguard/wg0.conf` -> `wg0`; null unless the file is `<valid name>.conf`. */
export function interfaceNameFromFileName(path: string): string | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (!base.endsWith('.conf')) return null;
  const name = base.slice(0, -'.conf'.length);
  return isValidInterfaceName(name) ? name : null;
}
