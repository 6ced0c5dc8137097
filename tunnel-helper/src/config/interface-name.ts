// wg-quick names the interface after the config file: `wg0.conf` -> `wg0`,
// and refuses any name outside [a-zA-Z0-9_=+.-]{1,15} (IFNAMSIZ - 1).

const INTERFACE_NAME = /^[a-zA-Z0-9_=+.-]{1,15}$/;

export function isValidInterfaceName(name: string): boolean {
  return INTERFACE_NAME.test(name);
}

/** `/etc/wireguard/wg0.conf` -> `wg0`; null unless the file is `<valid name>.conf`. */
export function interfaceNameFromFileName(path: string): string | null {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  if (!base.endsWith('.conf')) return null;
  const name = base.slice(0, -'.conf'.length);
  return isValidInterfaceName(name) ? name : null;
}
