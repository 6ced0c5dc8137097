// Encryption at rest for private keys. Electron's safeStorage sits behind this
// interface (adapters/safe-storage.ts); tests use a reversible double.

export interface SecretBox {
  /** False when the OS offers no real keyring (then keys stay plain, in a 0600 file). */
  isAvailable(): boolean;
  /** Returns base64 ciphertext. */
  encrypt(plain: string): string;
  /** Throws when the ciphertext was made by another keyring or login. */
  decrypt(cipherBase64: string): string;
}

/** Used where no keyring exists: keys are stored as written, protected by file mode only. */
export const noEncryption: SecretBox = {
  isAvailable: () => false,
  encrypt: () => {
    throw new Error('No keyring is available to encrypt with.');
  },
  decrypt: () => {
    throw new Error('This private key was encrypted, but no keyring is available to decrypt it.');
  },
};
