import sodium from 'libsodium-wrappers-sumo';
import { OWASP_PARAMS, RFC9106_PARAMS, calibratePwhash, derivePassphraseKey, isPwhashParams } from '../../crypto/pwhash.js';

const salt = (byte: number): Uint8Array => new Uint8Array(16).fill(byte);

describe('argon2id passphrase keys', () => {
  beforeAll(async () => {
    await sodium.ready;
  });

  it('derives the same 32-byte key from the same passphrase, salt and parameters', () => {
    const a = derivePassphraseKey(sodium, 'a quiet harbour at dusk', salt(1), OWASP_PARAMS);
    const b = derivePassphraseKey(sodium, 'a quiet harbour at dusk', salt(1), OWASP_PARAMS);
    expect(a).toHaveLength(32);
    expect(b).toEqual(a);
  });

  it('derives a different key from another salt or another passphrase', () => {
    const key = derivePassphraseKey(sodium, 'a quiet harbour at dusk', salt(1), OWASP_PARAMS);
    expect(derivePassphraseKey(sodium, 'a quiet harbour at dusk', salt(2), OWASP_PARAMS)).not.toEqual(key);
    expect(derivePassphraseKey(sodium, 'a quiet harbour at dawn', salt(1), OWASP_PARAMS)).not.toEqual(key);
  });

  it('refuses parameters below OWASP\'s floor or beyond what a phone can run, as a tampered record would ask', () => {
    expect(isPwhashParams(RFC9106_PARAMS)).toBe(true);
    expect(isPwhashParams(OWASP_PARAMS)).toBe(true);
    for (const bad of [
      { ...OWASP_PARAMS, opslimit: 1 },
      { ...OWASP_PARAMS, memlimit: 1024 * 1024 },
      { ...OWASP_PARAMS, memlimit: 4 * 1024 ** 3 },
      { ...OWASP_PARAMS, alg: 'argon2i13' },
      { ...OWASP_PARAMS, opslimit: 2.5 },
      null,
    ]) {
      expect(isPwhashParams(bad)).toBe(false);
    }
    expect(() => derivePassphraseKey(sodium, 'x', salt(1), { ...OWASP_PARAMS, opslimit: 1 })).toThrow(RangeError);
    expect(() => derivePassphraseKey(sodium, 'x', new Uint8Array(8), OWASP_PARAMS)).toThrow(RangeError);
  });

  it('calibrates to RFC 9106 parameters when a derivation fits the budget, and to OWASP\'s otherwise', () => {
    let clock = 0;
    expect(calibratePwhash(sodium, () => (clock += 400)).params).toEqual(RFC9106_PARAMS);
    expect(calibratePwhash(sodium, () => (clock += 1500)).params).toEqual(OWASP_PARAMS);
  });
});
