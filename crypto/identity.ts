import { sodium } from './sodium.js';

/** A device's long-lived keys: Ed25519 signs what it authors, X25519 receives sealed group secrets. */
export interface DeviceIdentity {
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  boxPublicKey: Uint8Array;
  boxSecretKey: Uint8Array;
}

export const SIGN_PUBLIC_KEY_BYTES = 32;

export function createDeviceIdentity(): DeviceIdentity {
  const s = sodium();
  const sign = s.crypto_sign_keypair();
  const box = s.crypto_box_keypair();
  return {
    signPublicKey: sign.publicKey,
    signSecretKey: sign.privateKey,
    boxPublicKey: box.publicKey,
    boxSecretKey: box.privateKey,
  };
}
