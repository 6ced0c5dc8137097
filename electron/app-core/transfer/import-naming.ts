// Tunnel names come from file names, as wg-quick and every official client
// do ("office.conf" -> "office", and a QR code's "office.png" -> "office");
// names that cannot be interface names are tidied, and a name already taken
// gets "-2", "-3", ... within 15 characters.
import { isValidInterfaceName } from '../../../shared/config/index.js';

const MAX = 15;

export function nameFromFileName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1).replace(/\.(conf|png|jpe?g)$/i, '');
  const tidy = base.replace(/[^a-zA-Z0-9_=+.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, MAX);
  return isValidInterfaceName(tidy) ? tidy : 'tunnel';
}

export function uniqueName(wanted: string, taken: ReadonlySet<string>): string {
  if (!taken.has(wanted)) return wanted;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = wanted.slice(0, MAX - suffix.length) + suffix;
    if (!taken.has(candidate)) return candidate;
  }
}
