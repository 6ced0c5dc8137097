// Tunnel profiles on disk: one `<name>.conf` per tunnel in the user data
// directory, the user's own text (comments kept), mode 0600 in a 0700
// directory, private keys sealed with the SecretBox where one is available.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isValidInterfaceName, type LoadedConfig } from '../../../shared/config/index.js';
import { sealPrivateKeys, unsealPrivateKeys } from './private-key-seal.js';
import type { SecretBox } from './secret-box.js';

export class ProfileStore {
  readonly dir: string;

  constructor(dir: string, private readonly box: SecretBox) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  list(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.conf') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.conf'.length))
      .filter(isValidInterfaceName)
      .sort((a, b) => a.localeCompare(b));
  }

  has(name: string): boolean {
    return existsSync(this.path(name));
  }

  /** The config text as the user wrote it, private key decrypted. */
  read(name: string): string {
    const stored = readFileSync(this.path(name), 'utf8');
    try {
      return unsealPrivateKeys(stored, this.box);
    } catch {
      throw new Error(`The private key of "${name}" was encrypted by another login or keyring and cannot be read here. Import the tunnel again.`);
    }
  }

  /** Only a loaded config (no errors) is stored, as the user wrote it. */
  write(name: string, config: LoadedConfig): void {
    const target = this.path(name);
    const tmp = join(this.dir, `.${name}.conf.tmp`);
    // Write a 0600 temporary file and rename it over the old one, so a crash
    // never leaves half a profile and no moment exists where the key is readable by others.
    writeFileSync(tmp, sealPrivateKeys(config.parsed, this.box), { mode: 0o600 });
    chmodSync(tmp, 0o600);
    renameSync(tmp, target);
  }

  rename(from: string, to: string): void {
    if (from === to) return;
    if (this.has(to)) throw new Error(`A tunnel named "${to}" already exists.`);
    renameSync(this.path(from), this.path(to));
  }

  remove(name: string): void {
    rmSync(this.path(name), { force: true });
  }

  private path(name: string): string {
    // Names become file names and interface names: never let one carry a path.
    if (!isValidInterfaceName(name)) throw new Error(`"${name}" is not a valid tunnel name (1–15 of a-z A-Z 0-9 _ = + . -).`);
    return join(this.dir, `${name}.conf`);
  }
}
