import { generate, mode, correction } from 'lean-qr';
import { beforeAll, describe, expect, it } from 'vitest';
import { ready, sign, verify } from '../../crypto/index.js';
import {
  MAX_CANDIDATES,
  VENUE_CODE_MESSAGES,
  decodeVenueCode,
  describeSdp,
  encodeVenueCode,
  venueCodeFromQrText,
  venueCodeFromText,
  venueCodeQrText,
  venueCodeText,
  venueGroupTag,
  venueSdp,
  type VenueCode,
} from '../../src/sync/venueCode.js';
import { fromBase45, toBase45 } from '../../src/sync/base45.js';
import { decodeVenueMessage, encodeVenueMessage, venueProofBytes } from '../../src/sync/venueMessages.js';
import { identityFromSeed, keyring } from '../fixtures/group.js';

/** An offer as Debian Chromium 156 made it on this machine with camera permission (raw addresses, TCP too). */
const CHROMIUM_OFFER = [
  'v=0',
  'o=- 5209858821802261610 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'a=extmap-allow-mixed',
  'a=msid-semantic: WMS',
  'm=application 50643 UDP/DTLS/SCTP webrtc-datachannel',
  'c=IN IP4 192.0.2.2',
  'a=candidate:1071289343 1 udp 2122194687 192.0.2.2 50643 typ host generation 0 network-id 1',
  'a=candidate:1307638060 1 udp 2122265343 fd00::2 57515 typ host generation 0 network-id 2',
  'a=candidate:277029874 1 tcp 1518214911 192.0.2.2 9 typ host tcptype active generation 0 network-id 1',
  'a=ice-ufrag:Ue6J',
  'a=ice-pwd:GCa+n5vXXnri8cl1oPsGL0rm',
  'a=ice-options:trickle',
  'a=fingerprint:sha-256 6A:B1:A6:09:A3:D8:13:1D:FE:E7:27:14:9F:00:C7:1F:DF:65:EB:E6:86:9D:AE:08:55:73:3B:AC:EF:7C:EF:72',
  'a=setup:actpass',
  'a=mid:0',
  'a=sctp-port:5000',
  'a=max-message-size:262144',
].join('\r\n');

/** The same without camera permission: Chromium hides addresses behind mDNS names. */
const MDNS_CANDIDATE = 'candidate:3424922634 1 udp 2113937151 F2AEA9E0-357C-4C46-B0E6-18C0FD9A6A72.local 34981 typ host generation 0 network-cost 999';

function offerCode(sdp = CHROMIUM_OFFER): VenueCode {
  const description = describeSdp(sdp);
  if (!description) throw new Error('fixture SDP did not describe');
  return { kind: 'offer', groupTag: venueGroupTag(keyring()), offerRef: new Uint8Array(4), ...description };
}

/** The smallest QR version lean-qr needs for a code (base45, alphanumeric mode) at error correction M. */
function qrVersion(bytes: Uint8Array): number {
  const code = generate(mode.alphaNumeric(venueCodeQrText(bytes)), { minCorrectionLevel: correction.M });
  return (code.size - 17) / 4;
}

describe('venue codes, version 1', () => {
  beforeAll(async () => {
    await ready();
  });

  it('keeps only UDP host candidates, ICE credentials and the fingerprint of a Chromium offer', () => {
    const code = offerCode();
    expect(code.ufrag).toBe('Ue6J');
    expect(code.pwd).toBe('GCa+n5vXXnri8cl1oPsGL0rm');
    expect(code.candidates).toEqual([
      { family: 'ipv4', address: '192.0.2.2', port: 50643 },
      { family: 'ipv6', address: 'fd00::2', port: 57515 },
    ]);
    expect(code.fingerprint[0]).toBe(0x6a);
    expect(code.fingerprint[31]).toBe(0x72);
  });

  it('round-trips an offer, an answer and an mDNS name through bytes and text', () => {
    const offer = offerCode(CHROMIUM_OFFER + '\r\na=' + MDNS_CANDIDATE);
    const answer: VenueCode = { ...offer, kind: 'answer', offerRef: offer.fingerprint.slice(0, 4) };
    for (const code of [offer, answer]) {
      const bytes = encodeVenueCode(code);
      const decoded = decodeVenueCode(bytes);
      expect(decoded.ok && decoded.code.kind).toBe(code.kind);
      if (!decoded.ok) return;
      expect(decoded.code.candidates.map((c) => c.address)).toEqual(['192.0.2.2', 'fd00:0:0:0:0:0:0:2', 'f2aea9e0-357c-4c46-b0e6-18c0fd9a6a72.local']);
      expect(Array.from(decoded.code.offerRef)).toEqual(Array.from(code.offerRef));
      const fromText = venueCodeFromText(` ${venueCodeText(bytes).replace(/(.{20})/g, '$1\n')} `);
      expect(fromText.ok && Array.from(encodeVenueCode(fromText.code))).toEqual(Array.from(bytes));
      const fromQr = venueCodeFromQrText(venueCodeQrText(bytes));
      expect(fromQr.ok && Array.from(encodeVenueCode(fromQr.code))).toEqual(Array.from(bytes));
    }
  });

  it('rebuilds an SDP that describes to the same code', () => {
    const code = offerCode(CHROMIUM_OFFER + '\r\na=' + MDNS_CANDIDATE);
    const sdp = venueSdp(code, 'answer');
    expect(sdp).toContain('a=setup:active');
    const again = describeSdp(sdp)!;
    expect(Array.from(encodeVenueCode({ ...code, ...again }))).toEqual(Array.from(encodeVenueCode(code)));
  });

  it('fits QR version 10 even at the longest the format allows', () => {
    const longest: VenueCode = {
      ...offerCode(),
      ufrag: 'u'.repeat(32),
      pwd: 'p'.repeat(32),
      candidates: Array.from({ length: MAX_CANDIDATES }, (_, i) => ({ family: 'ipv6' as const, address: `fd00::${i + 1}`, port: 65535 })),
    };
    const real = encodeVenueCode(offerCode(CHROMIUM_OFFER + '\r\na=' + MDNS_CANDIDATE));
    const biggest = encodeVenueCode(longest);
    console.info(`venue code: Chromium offer ${real.byteLength} B → QR version ${qrVersion(real)}; longest ${biggest.byteLength} B → version ${qrVersion(biggest)}`);
    expect(qrVersion(biggest)).toBeLessThanOrEqual(10);
    expect(qrVersion(real)).toBeLessThanOrEqual(10);
  });

  it('says a truncated code is incomplete, at every length short of whole', () => {
    const bytes = encodeVenueCode(offerCode());
    for (let length = 1; length < bytes.byteLength; length++) {
      const decoded = decodeVenueCode(bytes.slice(0, length));
      expect(decoded, `length ${length}`).toEqual({ ok: false, error: 'truncated' });
    }
    expect(VENUE_CODE_MESSAGES.truncated).toMatch(/incomplete/);
  });

  it('refuses crafted codes with a stable error each', () => {
    const good = encodeVenueCode(offerCode());
    const at = (offset: number, value: number) => {
      const bytes = good.slice();
      bytes[offset] = value;
      return decodeVenueCode(bytes);
    };
    const ufragAt = 46;
    const pwdAt = ufragAt + 1 + 4;
    const countAt = pwdAt + 1 + 24;
    expect(decodeVenueCode(new Uint8Array())).toEqual({ ok: false, error: 'not-a-code' });
    expect(at(0, 2)).toEqual({ ok: false, error: 'unsupported-version' });
    expect(at(1, 9)).toEqual({ ok: false, error: 'unknown-kind' });
    expect(at(ufragAt + 1, 0x20)).toEqual({ ok: false, error: 'bad-ice' }); // a space in the ufrag
    expect(at(ufragAt, 3)).toEqual({ ok: false, error: 'bad-ice' }); // too short a ufrag
    expect(at(countAt, 0)).toEqual({ ok: false, error: 'bad-candidate' });
    expect(at(countAt, MAX_CANDIDATES + 1)).toEqual({ ok: false, error: 'bad-candidate' });
    expect(at(countAt + 1, 5)).toEqual({ ok: false, error: 'bad-candidate' }); // unknown address family
    const portZero = good.slice();
    portZero.fill(0, countAt + 6, countAt + 8);
    expect(decodeVenueCode(portZero)).toEqual({ ok: false, error: 'bad-candidate' });
    expect(decodeVenueCode(Uint8Array.of(...good, 0))).toEqual({ ok: false, error: 'trailing-bytes' });
    expect(venueCodeFromText('https://example.org/?not a code')).toEqual({ ok: false, error: 'not-a-code' });
    expect(venueCodeFromText('aGVsbG8')).toEqual({ ok: false, error: 'not-a-code' }); // 'hello'
    expect(venueCodeFromQrText('https://example.org/')).toEqual({ ok: false, error: 'not-a-code' });
  });

  it('gives a stranger only an opaque group tag, different for another group', () => {
    const tag = venueGroupTag(keyring());
    const other = venueGroupTag(keyring(new Uint8Array(32).fill(7)));
    expect(tag.byteLength).toBe(8);
    expect(Array.from(tag)).not.toEqual(Array.from(other));
  });
});

describe('venue link messages, version 1', () => {
  beforeAll(async () => {
    await ready();
  });

  it('round-trips every message type', () => {
    const key = new Uint8Array(32).fill(1);
    const messages = [
      { type: 'challenge', nonce: new Uint8Array(32).fill(2) },
      { type: 'proof', key, signature: new Uint8Array(64).fill(3) },
      { type: 'sync', payload: Uint8Array.of(1, 2, 3) },
      { type: 'presence', sealed: 'abc' },
      { type: 'introduce', key },
      { type: 'relay', to: key, from: new Uint8Array(32).fill(4), code: Uint8Array.of(9) },
    ] as const;
    for (const message of messages) {
      const decoded = decodeVenueMessage(encodeVenueMessage(message));
      expect(decoded.ok && JSON.stringify(decoded.message, (_, v) => (v instanceof Uint8Array ? [...v] : v))).toBe(
        JSON.stringify(message, (_, v) => (v instanceof Uint8Array ? [...v] : v)),
      );
    }
  });

  it('refuses crafted messages with a stable error each', () => {
    expect(decodeVenueMessage(Uint8Array.of(1))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(Uint8Array.of(2, 1))).toEqual({ ok: false, error: 'unsupported-version' });
    expect(decodeVenueMessage(Uint8Array.of(1, 99))).toEqual({ ok: false, error: 'unknown-type' });
    expect(decodeVenueMessage(Uint8Array.of(1, 1, ...new Uint8Array(31)))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(Uint8Array.of(1, 2, ...new Uint8Array(95)))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(Uint8Array.of(1, 4, 0xff, 0xfe))).toEqual({ ok: false, error: 'bad-length' }); // not UTF-8
    expect(decodeVenueMessage(Uint8Array.of(1, 6, ...new Uint8Array(64)))).toEqual({ ok: false, error: 'bad-length' }); // relay without a code
  });

  it('binds a proof to both certificates, the role and the nonce', () => {
    const member = identityFromSeed(3);
    const base = {
      groupId: keyring().groupId,
      role: 'answer' as const,
      signerFingerprint: new Uint8Array(32).fill(0xa),
      verifierFingerprint: new Uint8Array(32).fill(0xb),
      nonce: new Uint8Array(32).fill(0xc),
    };
    const signature = sign(venueProofBytes(base), member.signSecretKey);
    expect(verify(signature, venueProofBytes(base), member.signPublicKey)).toBe(true);
    for (const changed of [
      { signerFingerprint: base.verifierFingerprint, verifierFingerprint: base.signerFingerprint },
      { verifierFingerprint: new Uint8Array(32).fill(0xd) },
      { role: 'offer' as const },
      { nonce: new Uint8Array(32) },
      { groupId: new Uint8Array(16) },
    ]) {
      expect(verify(signature, venueProofBytes({ ...base, ...changed }), member.signPublicKey)).toBe(false);
    }
  });
});

describe('base45 (RFC 9285), the QR form of a venue code', () => {
  it('matches the RFC examples both ways', () => {
    const examples: [string, string][] = [
      ['AB', 'BB8'],
      ['Hello!!', '%69 VD92EX0'],
      ['base-45', 'UJCLQE7W581'],
      ['ietf!', 'QED8WEX0'],
    ];
    for (const [plain, encoded] of examples) {
      expect(toBase45(new TextEncoder().encode(plain))).toBe(encoded);
      expect(new TextDecoder().decode(fromBase45(encoded))).toBe(plain);
    }
  });

  it('refuses text that is not base45', () => {
    expect(fromBase45('GGW')).toBeUndefined(); // 65536: over two bytes
    expect(fromBase45('A')).toBeUndefined(); // a lone character
    expect(fromBase45('ab8')).toBeUndefined(); // lower case is not in the alphabet
    expect(fromBase45('Z9')).toBeUndefined(); // 35 + 9 × 45 = 440: over one byte
  });
});
