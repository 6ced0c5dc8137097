// Reads a user's config file for the command line, turning every way it can
// fail into one sentence instead of a stack trace.
import { readFileSync, statSync } from 'node:fs';

export class FileProblem extends Error {}

const MAX_CONFIG_BYTES = 1 << 20; // a .conf is a few KiB; anything this big is not one

export function readTextFile(path: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new FileProblem(`${path}: is a directory, not a .conf file.`);
    if (!st.isFile()) throw new FileProblem(`${path}: is not a regular file.`);
    size = st.size;
  } catch (e) {
    if (e instanceof FileProblem) throw e;
    throw new FileProblem(`${path}: ${describeErrno(e)}`);
  }
  if (size > MAX_CONFIG_BYTES) throw new FileProblem(`${path}: is ${size} bytes, too large to be a WireGuard config.`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new FileProblem(`${path}: ${describeErrno(e)}`);
  }
  if (bytes.includes(0)) throw new FileProblem(`${path}: contains binary data; a WireGuard config is a text file.`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new FileProblem(`${path}: is not valid UTF-8 text; save it as UTF-8 and try again.`);
  }
}

function describeErrno(e: unknown): string {
  const code = (e as { code?: string }).code;
  switch (code) {
    case 'ENOENT': return 'no such file.';
    case 'EACCES': case 'EPERM': return 'permission denied; check the file permissions.';
    case 'EISDIR': return 'is a directory, not a .conf file.';
    case 'ELOOP': return 'too many symbolic links.';
    default: return `cannot be read (${code ?? String(e)}).`;
  }
}
