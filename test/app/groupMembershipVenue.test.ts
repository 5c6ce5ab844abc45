import { ready, toBase64Url } from '../../crypto/index.js';
import { GroupMembership } from '../../src/app/groupMembership.js';
import type { GroupRecord, VenuePort } from '../../src/app/ports.js';
import { inviteKeys, makeJoinRequest, parseOneTimeInvite } from '../../src/sync/oneTimeInvite.js';
import { GROUP_ID, GROUP_SECRET, identityFromSeed } from '../fixtures/group.js';
import { founder } from '../log/membershipFixtures.js';
import { recordingPort, type RecordingPort } from '../sync/recordingPort.js';
import { MemoryStore } from './fakes.js';

/**
 * A facilitator's invites at the venue (PROTOCOL §12.3): the invite's InviteHost hears the
 * venue's door alongside the signaling room, and the venue asks the membership which invites
 * it may answer.
 */

describe('group membership at the venue', () => {
  beforeAll(async () => {
    await ready();
  });

  it('opens a venue door for each hosted invite, hears a joiner there, and says which invites the venue may answer', async () => {
    const alice = await founder();
    const record: GroupRecord = { id: toBase64Url(GROUP_ID), groupId: GROUP_ID, name: 'Tuesday circle', epochs: [{ epoch: 0, secret: GROUP_SECRET }], joinedAt: 0, counter: 0, logVersion: 2 };
    const room = recordingPort();
    const membership = new GroupMembership({
      log: alice.log,
      record: () => record,
      identity: alice.identity,
      store: new MemoryStore(),
      createRendezvous: () => room.port,
      now: Date.now,
      changed: () => undefined,
      problem: () => undefined,
      offer: () => ({ name: 'Tuesday circle' }),
    });
    await membership.start();
    const created = await membership.createInvite('https://hearth.example/');
    expect(created.ok).toBe(true);
    const parsed = parseOneTimeInvite(created.ok ? created.link : '');
    if (!parsed.ok) throw new Error(parsed.error);
    const inviteKey = inviteKeys(parsed.invite.seed).inviteKey;

    const doors = new Map<string, RecordingPort>();
    const venue: VenuePort = {
      createOffer: async () => ({ ok: false, problem: 'no-network', message: '' }),
      acceptCode: async () => ({ ok: false, problem: 'no-network', message: '' }),
      peers: () => [],
      on: () => undefined,
      off: () => undefined,
      inviteRendezvous: (key) => {
        const d = recordingPort();
        doors.set(key, d);
        return d.port;
      },
    };
    membership.attachVenue(venue);
    const venueDoor = doors.get(inviteKey)!;
    expect(venueDoor.said.at(-1)).toMatchObject({ v: 3, host: alice.id });
    expect(membership.venueInviteStatus(inviteKey)).toBeUndefined();
    expect(membership.venueInviteStatus(inviteKeys(new Uint8Array(32).fill(7)).inviteKey)).toBe('unknown-invite');

    // A joiner asking at the venue door reaches the door list, and the offer is said on both.
    const bob = identityFromSeed(2);
    venueDoor.tell([{ v: 3, join: makeJoinRequest(parsed.invite, bob, 'Bob', Date.now()) }]);
    const view = membership.view(new Map(), new Set());
    expect(view.atDoor.map((join) => join.member)).toEqual([toBase64Url(bob.signPublicKey)]);
    const offers = (state: Record<string, unknown> | undefined) => Object.keys((state?.offers as Record<string, string>) ?? {});
    expect(offers(venueDoor.said.at(-1))).toEqual([toBase64Url(bob.signPublicKey)]);
    expect(offers(room.said.at(-1))).toEqual([toBase64Url(bob.signPublicKey)]);

    // The venue closed: its door is closed, the signaling room stays. Withdrawn: the venue says so to whoever proves it.
    membership.attachVenue(undefined);
    expect(venueDoor.destroyed).toBe(true);
    expect(room.destroyed).toBe(false);
    await membership.revoke(inviteKey);
    expect(membership.venueInviteStatus(inviteKey)).toBe('revoked');
    membership.destroy();
  });
});
