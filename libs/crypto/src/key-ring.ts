import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { DomainError } from '@switchyard/common';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface MasterKeyInput {
  version: number;
  secret: string;
}

export interface Sealed {
  keyVersion: number;
  ciphertext: Buffer;
}

/**
 * AES-256-GCM encryption of upstream credentials under versioned master keys. New secrets are
 * sealed with the current version; older versions stay readable until re-encrypted. A master
 * key is derived from the configured secret with HKDF, so any long random string works.
 */
export class KeyRing {
  private readonly keys = new Map<number, Buffer>();

  constructor(
    readonly currentVersion: number,
    keys: readonly MasterKeyInput[],
  ) {
    for (const { version, secret } of keys) {
      this.keys.set(
        version,
        Buffer.from(hkdfSync('sha256', secret, 'switchyard', `credentials-v${version}`, 32)),
      );
    }
    if (!this.keys.has(currentVersion))
      throw new Error(`KeyRing: no master key for version ${currentVersion}`);
  }

  seal(plaintext: string, aad: string): Sealed {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentVersion), iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyVersion: this.currentVersion, ciphertext: Buffer.concat([iv, cipher.getAuthTag(), body]) };
  }

  /** `aad` binds a ciphertext to its row (e.g. the provider id) so rows cannot be swapped. */
  open(sealed: Sealed, aad: string): string {
    const { ciphertext } = sealed;
    const decipher = createDecipheriv(
      'aes-256-gcm',
      this.key(sealed.keyVersion),
      ciphertext.subarray(0, IV_BYTES),
    );
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(ciphertext.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(ciphertext.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new DomainError(
        'crypto.decrypt_failed',
        `credential could not be decrypted with master key v${sealed.keyVersion}`,
        undefined,
        {
          cause: error,
        },
      );
    }
  }

  hasVersion(version: number): boolean {
    return this.keys.has(version);
  }

  private key(version: number): Buffer {
    const key = this.keys.get(version);
    if (!key)
      throw new DomainError(
        'crypto.unknown_key_version',
        `no master key v${version} is configured (SECRETS_PREVIOUS_KEYS)`,
      );
    return key;
  }
}
