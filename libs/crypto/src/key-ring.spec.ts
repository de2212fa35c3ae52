import { KeyRing } from './key-ring';
import { constantTimeEquals, displayPrefix, generateSecret, hashSecret } from './token-hash';

const v1 = { version: 1, secret: 'a'.repeat(40) };
const v2 = { version: 2, secret: 'b'.repeat(40) };

describe('KeyRing', () => {
  it('opens what it sealed, and the ciphertext hides the plaintext', () => {
    const ring = new KeyRing(1, [v1]);
    const sealed = ring.seal('sk-upstream-secret', 'provider:1');
    expect(sealed.keyVersion).toBe(1);
    expect(sealed.ciphertext.includes(Buffer.from('sk-upstream-secret'))).toBe(false);
    expect(ring.open(sealed, 'provider:1')).toBe('sk-upstream-secret');
  });

  it('uses a fresh IV each time', () => {
    const ring = new KeyRing(1, [v1]);
    expect(ring.seal('x', 'a').ciphertext.equals(ring.seal('x', 'a').ciphertext)).toBe(false);
  });

  it('refuses a ciphertext moved to another row or tampered with', () => {
    const ring = new KeyRing(1, [v1]);
    const sealed = ring.seal('secret', 'provider:1');
    expect(() => ring.open(sealed, 'provider:2')).toThrow(/could not be decrypted/);
    const tampered = Buffer.from(sealed.ciphertext);
    tampered[tampered.length - 1] ^= 1;
    expect(() => ring.open({ keyVersion: 1, ciphertext: tampered }, 'provider:1')).toThrow(
      /could not be decrypted/,
    );
  });

  it('reads old versions after rotation and seals with the new one', () => {
    const old = new KeyRing(1, [v1]).seal('secret', 'p');
    const rotated = new KeyRing(2, [v2, v1]);
    expect(rotated.open(old, 'p')).toBe('secret');
    expect(rotated.seal('secret', 'p').keyVersion).toBe(2);
    expect(() => new KeyRing(2, [v2]).open(old, 'p')).toThrow(/no master key v1/);
  });
});

describe('secrets', () => {
  it('generates prefixed base62 secrets of the requested length', () => {
    const secret = generateSecret('sk-sy-');
    expect(secret).toMatch(/^sk-sy-[A-Za-z0-9]{40}$/);
    expect(generateSecret('sk-sy-')).not.toBe(secret);
    expect(displayPrefix(secret, 6)).toBe(secret.slice(0, 10));
  });

  it('hashes to 64 hex characters and compares in constant time', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(constantTimeEquals('abc', 'abc')).toBe(true);
    expect(constantTimeEquals('abc', 'abd')).toBe(false);
    expect(constantTimeEquals('abc', 'abcd')).toBe(false);
  });
});
