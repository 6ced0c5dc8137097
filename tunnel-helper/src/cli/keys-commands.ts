// `wiredesk genkey | pubkey | genpsk`: the same input and output as wg(8).
import { fstatSync, readFileSync } from 'node:fs';
import { generatePresharedKey, generatePrivateKey, publicKeyFromPrivate } from '../../../shared/config/index.js';

/** wg warns when a key is about to land in a file others can read. */
export function warnIfStdoutWorldReadable(): void {
  try {
    const st = fstatSync(1);
    if (st.isFile() && (st.mode & 0o007) !== 0) process.stderr.write('Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again.\n');
  } catch { /* stdout closed: nothing to warn about */ }
}

export function genkey(): number {
  warnIfStdoutWorldReadable();
  process.stdout.write(`${generatePrivateKey()}\n`);
  return 0;
}

export function genpsk(): number {
  warnIfStdoutWorldReadable();
  process.stdout.write(`${generatePresharedKey()}\n`);
  return 0;
}

export function pubkey(): number {
  let input: string;
  try {
    input = readFileSync(0, 'latin1');
  } catch {
    input = '';
  }
  // wg accepts the key followed by whitespace (usually the newline from genkey).
  const key = input.replace(/[\s]+$/, '');
  let pub: string | null;
  try {
    pub = /^[A-Za-z0-9+/]{43}=$/.test(key) ? publicKeyFromPrivate(key) : null;
  } catch {
    pub = null;
  }
  if (pub === null) {
    process.stderr.write('wiredesk: Key is not the correct length or format\n');
    return 1;
  }
  process.stdout.write(`${pub}\n`);
  return 0;
}
