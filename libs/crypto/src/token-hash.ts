import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** SHA-256 hex of a bearer secret (API key or admin token): what the database stores. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time equality of two strings of possibly different length. */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random secret: `prefix` + 40 base62 characters (~238 bits), unbiased. */
export function generateSecret(prefix: string, length = 40): string {
  let out = prefix;
  while (out.length < prefix.length + length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248) out += ALPHABET[byte % 62]; // 248 = 4 * 62: reject the biased tail
      if (out.length === prefix.length + length) break;
    }
  }
  return out;
}

/** The part of a secret safe to display: its prefix and first 4 random characters. */
export function displayPrefix(secret: string, prefixLength: number): string {
  return secret.slice(0, prefixLength + 4);
}
