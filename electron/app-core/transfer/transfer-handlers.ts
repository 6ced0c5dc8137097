// The import and export calls: dialogs and file I/O around the pure
// import-files / export-files functions.
import { writeFileSync } from 'node:fs';
import type { Handlers } from '../../../shared/ipc/schema.js';
import type { AppPorts } from '../ports.js';
import type { ProfileStore } from '../profiles/profile-store.js';
import type { TunnelService } from '../tunnels/tunnel-service.js';
import { qrFor, zipProfiles } from './export-files.js';
import { importFiles, importText, type ImportInput, type ImportTarget } from './import-files.js';
import { isImageInput, readImages } from './image-import.js';

type TransferHandlers = Pick<Handlers,
  'tunnels:importFiles' | 'tunnels:importText' | 'tunnels:exportConf' | 'tunnels:exportAll' | 'tunnels:qr'>;

const confFilter = { name: 'WireGuard config', extensions: ['conf'] };
const zipFilter = { name: 'Zip archive', extensions: ['zip'] };

export function createTransferHandlers(store: ProfileStore, tunnels: TunnelService, ports: AppPorts): TransferHandlers {
  const target: ImportTarget = { names: () => store.list(), write: (name, config) => store.write(name, config) };
  const run = <T>(f: () => T): T => {
    const result = f();
    tunnels.profilesChanged();
    return result;
  };
  const writePrivate = (path: string, data: string | Uint8Array) => writeFileSync(path, data, { mode: 0o600 });

  return {
    'tunnels:importFiles': async (files) => {
      const inputs: ImportInput[] = files.map((f) => ({ fileName: f.name, bytes: Buffer.from(f.data, 'base64') }));
      const read = await readImages(inputs.filter((i) => isImageInput(i)));
      return run(() => importFiles(inputs.filter((i) => !isImageInput(i)), target, read));
    },
    'tunnels:importText': (text, name) => run(() => importText(text, name, target)),
    'tunnels:exportConf': async (name) => {
      const path = await ports.dialogs.saveFile('Export tunnel', `${name}.conf`, [confFilter]);
      if (!path) return false;
      writePrivate(path, store.read(name));
      return true;
    },
    'tunnels:exportAll': async () => {
      const path = await ports.dialogs.saveFile('Export all tunnels', 'wiredesk-tunnels.zip', [zipFilter]);
      if (!path) return false;
      writePrivate(path, zipProfiles(store.list().map((name) => ({ name, text: store.read(name) }))));
      return true;
    },
    'tunnels:qr': (name) => qrFor(store.read(name)),
  };
}
