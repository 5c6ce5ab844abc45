// base64url without padding, as crypto/base64url.ts writes it.
export function toBase64Url(bytes) {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}
