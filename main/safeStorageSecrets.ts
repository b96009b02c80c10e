import { join } from 'node:path';
import { safeStorage } from 'electron';
import { FileSecretStore, SECRETS_FILE_NAME, type SecretStore } from '../src/app/secretStore';

/**
 * The desktop app's secret store: each secret is encrypted with Electron's safeStorage (a key
 * kept by macOS Keychain, Windows DPAPI, or libsecret/kwallet on Linux) and only the
 * ciphertext, base64, goes to <userData>/secrets.json, itself readable only by the user.
 * When the OS offers no key store, saving a secret fails with a message rather than writing
 * it in the clear.
 */
export function safeStorageSecretStore(userDataDir: string): SecretStore {
  const path = join(userDataDir, SECRETS_FILE_NAME);
  return new FileSecretStore(
    path,
    {
      encode: (plain) => {
        if (!safeStorage.isEncryptionAvailable()) {
          throw new Error('The operating system offers no key store to encrypt the password with (on Linux: install and unlock a Secret Service such as GNOME Keyring or KWallet), so it was not saved.');
        }
        return safeStorage.encryptString(plain).toString('base64');
      },
      decode: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
    },
    {
      kind: 'os-encryption',
      path,
      description: `Passwords are encrypted with a key your operating system keeps (Electron safeStorage) and stored in ${path}; clusters.json holds no secrets.`,
    },
  );
}
