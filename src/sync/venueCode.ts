import { fromBase64Url, hash, toBase64Url } from '../../crypto/index.js';
import type { GroupKeyring } from '../log/keyring.js';
import { fromBase45, toBase45 } from './base45.js';

/**
 * Venue codes, version 1 (docs/PROTOCOL.md §12.1): a WebRTC offer or answer reduced to what the
 * other side cannot guess, so it fits a QR code a phone reads at arm's length. Everything else
 * of the SDP is fixed (one data channel, SCTP port 5000) and rebuilt by `venueSdp`.
 *
 * | offset | bytes | field                                                             |
 * |--------|-------|-------------------------------------------------------------------|
 * | 0      | 1     | venue code version = 1                                            |
 * | 1      | 1     | kind: 1 offer, 2 answer                                           |
 * | 2      | 8     | group tag: BLAKE2b of the room name (changes with the epoch)      |
 * | 10     | 4     | answer: the first 4 bytes of the offer's fingerprint; offer: zero |
 * | 14     | 32    | DTLS certificate fingerprint, SHA-256                             |
 * | 46     | 1+u   | ICE ufrag length u (4..32), ufrag (ASCII ice-chars)               |
 * |        | 1+p   | ICE pwd length p (22..32), pwd (ASCII ice-chars)                  |
 * |        | 1     | host candidate count n (1..4)                                     |
 * |        | n × … | family (4 IPv4, 6 IPv6, 0x6d mDNS name), address (4, 16, or the   |
 * |        |       | 16-byte UUID of `<uuid>.local`), UDP port uint16 big-endian       |
 *
 * The offer's DTLS role is actpass and the answer's active. No STUN or TURN: host candidates only.
 * The QR code carries these bytes as base45 (RFC 9285) in alphanumeric mode, the "copy code"
 * text as base64url.
 */
export const VENUE_CODE_VERSION = 1;
export const VENUE_CODE_KINDS = { offer: 1, answer: 2 } as const;
export type VenueCodeKind = keyof typeof VENUE_CODE_KINDS;
export const GROUP_TAG_BYTES = 8;
export const OFFER_REF_BYTES = 4;
const FINGERPRINT_BYTES = 32;
const HEADER_BYTES = 2 + GROUP_TAG_BYTES + OFFER_REF_BYTES + FINGERPRINT_BYTES;
/** Four host candidates and the longest ICE strings still fit QR version 10 at error correction M. */
export const MAX_CANDIDATES = 4;
const FAMILY = { ipv4: 4, ipv6: 6, mdns: 0x6d } as const;
type Family = keyof typeof FAMILY;
const ICE_CHARS = /^[A-Za-z0-9+/]+$/;
const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\.local$/i;

export interface HostCandidate {
  family: Family;
  /** Dotted IPv4, IPv6 in any RFC 5952 form, or `<uuid>.local`. */
  address: string;
  port: number;
}

/** What one side of a venue connection must tell the other. */
export interface VenueDescription {
  fingerprint: Uint8Array;
  ufrag: string;
  pwd: string;
  candidates: HostCandidate[];
}

export interface VenueCode extends VenueDescription {
  kind: VenueCodeKind;
  groupTag: Uint8Array;
  /** Answers only: which offer this answers. */
  offerRef: Uint8Array;
}

/** Stable codes; `VENUE_CODE_MESSAGES` says each in the person's words. */
export type VenueCodeError =
  | 'not-a-code' // not base64url, or empty
  | 'truncated' // ends before its fields do
  | 'unsupported-version'
  | 'unknown-kind'
  | 'bad-ice' // ufrag or pwd of the wrong length or characters
  | 'bad-candidate' // no candidates, too many, an unknown family, or port 0
  | 'trailing-bytes';

export const VENUE_CODE_MESSAGES: Record<VenueCodeError, string> = {
  'not-a-code': 'That is not a Hearth meeting code. Please scan or paste the code shown on the other phone.',
  truncated: 'That code is incomplete. Please scan it again, or copy the whole code.',
  'unsupported-version': 'That code comes from a different version of Hearth. Please update both phones.',
  'unknown-kind': 'That is not a Hearth meeting code. Please scan or paste the code shown on the other phone.',
  'bad-ice': 'That code is damaged. Please scan it again.',
  'bad-candidate': 'That code is damaged or has no network address. Please scan it again.',
  'trailing-bytes': 'That code is damaged. Please scan it again.',
};

export type VenueCodeResult = { ok: true; code: VenueCode } | { ok: false; error: VenueCodeError };

/** The tag that tells a member which group a code is for, and a stranger nothing. */
export function venueGroupTag(keyring: GroupKeyring): Uint8Array {
  return hash(new TextEncoder().encode(`hearth-venue-tag-v1:${keyring.roomName()}`), 16).slice(0, GROUP_TAG_BYTES);
}

/** Which offer an answer belongs to. */
export function offerRefOf(offerFingerprint: Uint8Array): Uint8Array {
  return offerFingerprint.slice(0, OFFER_REF_BYTES);
}

export function encodeVenueCode(code: VenueCode): Uint8Array {
  const ascii = new TextEncoder();
  const parts: number[] = [VENUE_CODE_VERSION, VENUE_CODE_KINDS[code.kind]];
  parts.push(...code.groupTag, ...(code.kind === 'answer' ? code.offerRef : new Uint8Array(OFFER_REF_BYTES)), ...code.fingerprint);
  for (const text of [code.ufrag, code.pwd]) {
    const bytes = ascii.encode(text);
    parts.push(bytes.byteLength, ...bytes);
  }
  const candidates = code.candidates.slice(0, MAX_CANDIDATES);
  parts.push(candidates.length);
  for (const candidate of candidates) {
    parts.push(FAMILY[candidate.family], ...addressBytes(candidate), candidate.port >> 8, candidate.port & 0xff);
  }
  return Uint8Array.from(parts);
}

export function decodeVenueCode(bytes: Uint8Array): VenueCodeResult {
  const fail = (error: VenueCodeError): VenueCodeResult => ({ ok: false, error });
  if (bytes.byteLength === 0) return fail('not-a-code');
  // A later version says so; any other first byte is not ours at all.
  if (bytes[0] !== VENUE_CODE_VERSION) return fail(bytes[0]! > VENUE_CODE_VERSION && bytes[0]! < 16 ? 'unsupported-version' : 'not-a-code');
  if (bytes.byteLength < 2) return fail('truncated');
  const kind = bytes[1] === VENUE_CODE_KINDS.offer ? 'offer' : bytes[1] === VENUE_CODE_KINDS.answer ? 'answer' : undefined;
  if (!kind) return fail('unknown-kind');
  if (bytes.byteLength < HEADER_BYTES) return fail('truncated');
  let offset = 2;
  const take = (length: number): Uint8Array | undefined => {
    if (offset + length > bytes.byteLength) return undefined;
    const slice = bytes.slice(offset, offset + length);
    offset += length;
    return slice;
  };
  const groupTag = take(GROUP_TAG_BYTES)!;
  const offerRef = take(OFFER_REF_BYTES)!;
  const fingerprint = take(FINGERPRINT_BYTES)!;
  const iceText = (min: number, max: number): string | VenueCodeError => {
    const length = take(1)?.[0];
    if (length === undefined) return 'truncated';
    const text = take(length);
    if (!text) return 'truncated';
    const value = String.fromCharCode(...text);
    return length < min || length > max || !ICE_CHARS.test(value) ? 'bad-ice' : value;
  };
  const ufrag = iceText(4, 32);
  if (ufrag === 'truncated' || ufrag === 'bad-ice') return fail(ufrag);
  const pwd = iceText(22, 32);
  if (pwd === 'truncated' || pwd === 'bad-ice') return fail(pwd);
  const count = take(1)?.[0];
  if (count === undefined) return fail('truncated');
  if (count === 0 || count > MAX_CANDIDATES) return fail('bad-candidate');
  const candidates: HostCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const familyByte = take(1)?.[0];
    if (familyByte === undefined) return fail('truncated');
    const family = (Object.keys(FAMILY) as Family[]).find((name) => FAMILY[name] === familyByte);
    if (!family) return fail('bad-candidate');
    const address = take(family === 'ipv4' ? 4 : 16);
    const port = take(2);
    if (!address || !port) return fail('truncated');
    const portNumber = (port[0]! << 8) | port[1]!;
    if (portNumber === 0) return fail('bad-candidate');
    candidates.push({ family, address: addressText(family, address), port: portNumber });
  }
  if (offset !== bytes.byteLength) return fail('trailing-bytes');
  return { ok: true, code: { kind, groupTag, offerRef, fingerprint, ufrag, pwd, candidates } };
}

/** The "copy code" text form. */
export function venueCodeText(bytes: Uint8Array): string {
  return toBase64Url(bytes);
}

/** What the QR code holds (alphanumeric mode). */
export function venueCodeQrText(bytes: Uint8Array): string {
  return toBase45(bytes);
}

/** Reads what a QR scanner found. */
export function venueCodeFromQrText(text: string): VenueCodeResult {
  const bytes = fromBase45(text);
  return bytes ? decodeVenueCode(bytes) : { ok: false, error: 'not-a-code' };
}

/** Reads pasted text (whitespace, as a messenger may wrap it, is ignored). */
export function venueCodeFromText(text: string): VenueCodeResult {
  const decoded = fromBase64Url(text.replace(/\s+/g, ''));
  if (!decoded.ok) return { ok: false, error: 'not-a-code' };
  return decodeVenueCode(decoded.bytes);
}

/** The parts of an SDP a venue code keeps; undefined when it is not a data-channel-only description we can rebuild. */
export function describeSdp(sdp: string): VenueDescription | undefined {
  const line = (prefix: string): string | undefined => sdpLine(sdp, prefix);
  const fingerprint = sdpFingerprint(sdp);
  const ufrag = line('a=ice-ufrag:');
  const pwd = line('a=ice-pwd:');
  if (!fingerprint || !ufrag || !pwd) return undefined;
  const candidates: HostCandidate[] = [];
  for (const l of sdp.split(/\r?\n/)) {
    const parsed = parseCandidate(l.replace(/^a=/, ''));
    if (parsed && candidates.length < MAX_CANDIDATES && !candidates.some((c) => c.address === parsed.address && c.port === parsed.port)) {
      candidates.push(parsed);
    }
  }
  return { fingerprint, ufrag, pwd, candidates };
}

function sdpLine(sdp: string, prefix: string): string | undefined {
  return sdp
    .split(/\r?\n/)
    .find((l) => l.startsWith(prefix))
    ?.slice(prefix.length)
    .trim();
}

/** The SHA-256 DTLS certificate fingerprint an SDP names (32 bytes), if it names one. */
export function sdpFingerprint(sdp: string): Uint8Array | undefined {
  const text = sdpLine(sdp, 'a=fingerprint:sha-256 ');
  if (!text) return undefined;
  const fingerprint = Uint8Array.from(text.split(':'), (hex) => parseInt(hex, 16));
  return fingerprint.byteLength === FINGERPRINT_BYTES && !fingerprint.some((byte) => Number.isNaN(byte)) ? fingerprint : undefined;
}

/** A UDP host candidate line (`candidate:…`), or undefined for anything else (TCP, srflx, relay). */
export function parseCandidate(text: string): HostCandidate | undefined {
  const fields = text.trim().split(/\s+/);
  if (!fields[0]?.startsWith('candidate:') || fields[2]?.toLowerCase() !== 'udp' || fields[6] !== 'typ' || fields[7] !== 'host') {
    return undefined;
  }
  const address = fields[4] ?? '';
  const port = Number(fields[5]);
  if (!Number.isInteger(port) || port <= 0 || port > 0xffff) return undefined;
  const family: Family | undefined = UUID.test(address) ? 'mdns' : /^\d+\.\d+\.\d+\.\d+$/.test(address) ? 'ipv4' : address.includes(':') ? 'ipv6' : undefined;
  if (!family) return undefined;
  try {
    addressBytes({ family, address, port });
  } catch {
    return undefined;
  }
  return { family, address: family === 'mdns' ? address.toLowerCase() : address, port };
}

/** The full SDP Chromium and other browsers accept for a venue description. */
export function venueSdp(description: VenueDescription, role: 'offer' | 'answer'): string {
  const sessionId = Math.floor(Math.random() * 2 ** 52) + 1;
  const lines = [
    'v=0',
    `o=- ${sessionId} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel',
    'c=IN IP4 0.0.0.0',
    ...description.candidates.map(
      (c, index) => `a=candidate:${index + 1} 1 udp ${2122194687 - index} ${c.address} ${c.port} typ host generation 0`,
    ),
    `a=ice-ufrag:${description.ufrag}`,
    `a=ice-pwd:${description.pwd}`,
    `a=fingerprint:sha-256 ${[...description.fingerprint].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(':')}`,
    `a=setup:${role === 'offer' ? 'actpass' : 'active'}`,
    'a=mid:0',
    'a=sctp-port:5000',
    'a=max-message-size:262144',
  ];
  return lines.join('\r\n') + '\r\n';
}

function addressBytes({ family, address }: HostCandidate): number[] {
  if (family === 'ipv4') {
    const parts = address.split('.').map(Number);
    if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part) || part < 0 || part > 255)) throw new RangeError('bad IPv4');
    return parts;
  }
  if (family === 'mdns') {
    const match = UUID.exec(address);
    if (!match) throw new RangeError('bad mDNS name');
    return hexBytes(match.slice(1).join(''));
  }
  return ipv6Bytes(address);
}

function addressText(family: Family, bytes: Uint8Array): string {
  if (family === 'ipv4') return [...bytes].join('.');
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  if (family === 'mdns') return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}.local`;
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(parseInt(hex.slice(i, i + 4), 16).toString(16));
  return groups.join(':');
}

function ipv6Bytes(address: string): number[] {
  const [head, tail, extra] = address.split('::');
  if (extra !== undefined) throw new RangeError('bad IPv6');
  const groups = (part: string | undefined): number[] => (part ? part.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)) : []);
  const left = groups(head);
  const right = groups(tail);
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || (tail !== undefined && missing < 1)) throw new RangeError('bad IPv6');
  const all = [...left, ...new Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  if (all.some((g) => Number.isNaN(g))) throw new RangeError('bad IPv6');
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

function hexBytes(hex: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  return bytes;
}
