// Shared fixtures for the config tests: real key pairs (made with `wg genkey`
// and `wg pubkey`) and a finder for the sample .conf corpus.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfig, parseConfig, type Diagnostic } from '../../../../shared/config/index.js';

export const KEYS = [
  { priv: 'mOnx2NdABJyplZzu7ygribv4GCE3DDBfcEL8iD93IHI=', pub: 'pWp0D61O/A6zt4BhvWPqBVxcpujTopGz5XPdxuXy0A0=', psk: 'Z9kQuAnTfYyePhu043bo11duXnBxCj9ruTyB9GzDOZ0=' },
  { priv: 'uKcg4I+v2/HpSHrhtVVCIqaW0rjq4ZLvvCc0yzbvD2Y=', pub: 'v/mqdX/p062Tnl4+M2UOPAhDeIsZoY2cWeM400+ABkI=', psk: '17ZZLI7ViMUdjtDeHPANMf9D+UCvtR5Mnbd/cgLxcMY=' },
  { priv: 'eNC4dqQjcHWVUl5j/kMwqomBTfhGdOefoVW2Zhv3XW0=', pub: 'g7dqlYOkPKJ0+yu3BKTGkIUjdbqRx6mwPOWCLyAcEhQ=', psk: '4P8D5SDEYiqIjyW303+19i6KbPwxrCHPk4xQi1beHj8=' },
  { priv: 'wBnwdnnaAkiKk+aiN1hr1EHE5ea52oZlPTOGdp2mpEo=', pub: '5vqmehHTJTwhIJG0hRmm6Vf6pXs2Kaw+6ZwYrWXi3CY=', psk: 'BqpRsFeVnAD3jQWsud8snROYl/zVWDmrRI+HnA1tfG0=' },
] as const;

export const [A, B, C, D] = KEYS as unknown as [typeof KEYS[0], typeof KEYS[1], typeof KEYS[2], typeof KEYS[3]];

/** Joins lines with '\n' and a final newline, so line numbers read off the array. */
export function conf(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/** A minimal valid config; extra lines go to the end of the peer. */
export function validConf(...peerLines: string[]): string {
  return conf('[Interface]', `PrivateKey = ${A.priv}`, '', '[Peer]', `PublicKey = ${B.pub}`, ...peerLines);
}

export function check(text: string): Diagnostic[] {
  return validateConfig(parseConfig(text));
}

export function errors(text: string): Diagnostic[] {
  return check(text).filter((d) => d.severity === 'error');
}

export function warnings(text: string): Diagnostic[] {
  return check(text).filter((d) => d.severity === 'warning');
}

/** test/fixtures/conf, found by walking up from this compiled file. */
export function corpusDir(...sub: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'test', 'fixtures', 'conf');
    if (existsSync(candidate)) return join(candidate, ...sub);
    const parent = dirname(dir);
    if (parent === dir) throw new Error('test/fixtures/conf not found');
    dir = parent;
  }
}

export function corpusFiles(...sub: string[]): { name: string; text: string }[] {
  const dir = corpusDir(...sub);
  return readdirSync(dir)
    .filter((n) => n.endsWith('.conf'))
    .sort()
    .map((name) => ({ name, text: readFileSync(join(dir, name), 'utf8') }));
}
