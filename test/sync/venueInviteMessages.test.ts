import { ready } from '../../crypto/index.js';
import { RendezvousHub } from '../../src/sync/rendezvous.js';
import {
  INVITE_REFUSALS,
  MAX_INVITE_STATE_BYTES,
  decodeVenueMessage,
  encodeVenueMessage,
  venueInviteProofBytes,
  venueProofBytes,
} from '../../src/sync/venueMessages.js';
import { recordingPort } from './recordingPort.js';

/** Venue messages 7–9 (PROTOCOL §12.3) from crafted bytes, and the hub a facilitator's InviteHost hears through. */

const bytes = (...parts: (number | Uint8Array)[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p])));

describe('venue invite messages', () => {
  beforeAll(async () => {
    await ready();
  });

  it('round-trips an invite proof, an invite state and each refusal', () => {
    const proof = { type: 'invite-proof' as const, key: new Uint8Array(32).fill(4), signature: new Uint8Array(64).fill(5) };
    expect(decodeVenueMessage(encodeVenueMessage(proof))).toEqual({ ok: true, message: proof });
    const state = { type: 'invite-state' as const, json: JSON.stringify({ v: 3, join: { member: 'x' } }) };
    expect(decodeVenueMessage(encodeVenueMessage(state))).toEqual({ ok: true, message: state });
    for (const reason of INVITE_REFUSALS) {
      expect(decodeVenueMessage(encodeVenueMessage({ type: 'invite-refused', reason }))).toEqual({ ok: true, message: { type: 'invite-refused', reason } });
    }
    expect([...encodeVenueMessage({ type: 'invite-refused', reason: 'used' })]).toEqual([1, 9, 2]);
  });

  it('refuses crafted bytes: short or long proofs, unknown reasons, oversized or non-UTF-8 states, unknown types', () => {
    expect(decodeVenueMessage(bytes(1, 7, new Uint8Array(95)))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 7, new Uint8Array(97)))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 9, 0))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 9, INVITE_REFUSALS.length + 1))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 9, 1, 1))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 8, new Uint8Array(MAX_INVITE_STATE_BYTES + 1).fill(0x20)))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 8, 0xc3, 0x28))).toEqual({ ok: false, error: 'bad-length' });
    expect(decodeVenueMessage(bytes(1, 10))).toEqual({ ok: false, error: 'unknown-type' });
    expect(decodeVenueMessage(bytes(2, 7, new Uint8Array(96)))).toEqual({ ok: false, error: 'unsupported-version' });
  });

  it('signs an invite proof over other bytes than a member proof of the same connection', () => {
    const binding = { groupId: new Uint8Array(16).fill(1), signerFingerprint: new Uint8Array(32).fill(2), verifierFingerprint: new Uint8Array(32).fill(3), nonce: new Uint8Array(32).fill(4) };
    const invite = venueInviteProofBytes(binding);
    const member = venueProofBytes({ ...binding, role: 'answer' });
    expect(invite).not.toEqual(member);
    expect(new TextDecoder().decode(invite.subarray(0, 22))).toBe('hearth-venue-invite-v1');
  });
});

describe('rendezvous hub', () => {
  it('says the last state to every port, also one added later, and hears every port until it is removed', () => {
    const hub = new RendezvousHub();
    const room = recordingPort();
    hub.add(room.port);
    const heard: unknown[][] = [];
    hub.on('states', (states) => heard.push(states));
    hub.publish({ v: 3, host: 'a' });
    const venue = recordingPort();
    hub.add(venue.port);
    expect(room.said).toEqual([{ v: 3, host: 'a' }]);
    expect(venue.said).toEqual([{ v: 3, host: 'a' }]);
    room.tell([{ join: 1 }]);
    venue.tell([{ join: 2 }]);
    expect(hub.states()).toEqual([{ join: 1 }, { join: 2 }]);
    expect(heard.at(-1)).toEqual([{ join: 1 }, { join: 2 }]);
    hub.remove(venue.port);
    expect(venue.destroyed).toBe(true);
    const before = heard.length;
    venue.tell([{ join: 3 }]);
    expect(heard.length).toBe(before);
    expect(hub.states()).toEqual([{ join: 1 }]);
    hub.destroy();
    expect(room.destroyed).toBe(true);
  });
});
