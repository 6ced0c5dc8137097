// safeStorage as a SecretBox. On Linux without a keyring Electron falls back
// to a hard-coded password ("basic_text"); that is not encryption, so it
// counts as unavailable and the 0600 file mode is the protection.
import { safeStorage } from 'electron';
import type { SecretBox } from '../app-core/profiles/secret-box.js';

export const electronSecretBox: SecretBox = {
  isAvailable: () =>
    safeStorage.isEncryptionAvailable() && (process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text'),
  encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
  decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
};
