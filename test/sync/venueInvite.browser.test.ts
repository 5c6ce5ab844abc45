import { fromBase64Url, ready, sign, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { InviteGuest, InviteHost, type GuestStage } from '../../src/app/inviteHandshake.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { logInvite } from '../../src/log/membershipOps.js';
import { inviteProblem } from '../../src/model/index.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { INVITE_LIFETIME_MS, inviteKeys, newOneTimeInvite, type OneTimeInvite } from '../../src/sync/oneTimeInvite.js';
import { venueInviteProofBytes, venueProofBytes, type VenueInviteRefusal, type VenueMessage } from '../../src/sync/venueMessages.js';
import { VenueSession, type VenueProblem } from '../../src/sync/venueSession.js';
import { assert, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed, keyring, post, view, type Member } from '../fixtures/group.js';
import { deliver, device, founder } from '../log/membershipFixtures.js';
import { craftedPeer, until, type Binding } from './venuePeer.js';

/**
 * A newcomer admitted over the venue links (PROTOCOL §12.3): real RTCPeerConnections in one
 * page, a real facilitator's log and InviteHost on one side, and on the other a real joiner's
 * VenueSession and InviteGuest, or a hand-made peer saying exactly what the test wants.
 */

const HANDSHAKE = new Set(['challenge', 'proof', 'invite-state', 'invite-refused']);

/** The facilitator's device: its log with `invite` logged, a venue session, and the invite's host on the venue door. */
async function facilitator(invite: { seed: Uint8Array; expiresAt?: number }, problems: VenueProblem[] = []) {
  const alice = await founder();
  const keys = inviteKeys(invite.seed);
  const logged = await logInvite(alice.log, { inviteKey: keys.inviteKey, expiresAt: invite.expiresAt ?? Date.now() + INVITE_LIFETIME_MS, uses: 1 });
  assert(logged.ok, 'invite not logged');
  const venue = new VenueSession({
    keyring: keyring(),
    identity: alice.identity,
    isMember: (key) => alice.log.membership.members.has(toBase64Url(key)),
    inviteStatus: (inviteKey) => {
      const known = alice.log.membership.invites.get(inviteKey);
      return known ? inviteProblem(known, Date.now()) : 'unknown-invite';
    },
    gatherTimeoutMs: 1000,
  });
  venue.on('problem', (problem) => problems.push(problem));
  const sync = new EnvelopeSync({ log: alice.log, transport: venue.transport });
  const host = new InviteHost(
    venue.inviteRendezvous(keys.inviteKey),
    invite.seed,
    { log: alice.log, groupId: GROUP_ID, ownId: alice.id, offer: () => ({ name: 'Tuesday circle', guidelines: 'Be kind.' }), welcome: () => ({ creatorId: alice.id, name: 'Tuesday circle' }), now: Date.now, autoAdmit: () => false },
    () => undefined,
  );
  return { alice, venue, host, problems, close: () => (sync.destroy(), venue.close()) };
}

/** A joiner's device holding only `invite`: a venue session in invite mode and the handshake on it. */
function joiner(invite: OneTimeInvite, identity: DeviceIdentity) {
  const refusals: VenueInviteRefusal[] = [];
  const venue = new VenueSession({ invite, identity, isMember: () => false, gatherTimeoutMs: 1000 });
  venue.on('refused', (reason) => refusals.push(reason));
  const stages: GuestStage['stage'][] = [];
  const guest = new InviteGuest(venue.inviteRendezvous(inviteKeys(invite.seed).inviteKey), invite, identity, 'Bob', Date.now(), (stage) => stages.push(stage.stage));
  return { venue, guest, stages, refusals, close: () => venue.close() };
}

/** The joiner scans the facilitator's code, and the facilitator scans the joiner's answer. */
async function scan(host: VenueSession, scanner: VenueSession): Promise<{ hostCode: string; scannerCode: string }> {
  const offer = await host.createOffer();
  assert(offer.ok, 'no offer');
  const answered = await scanner.acceptCode(offer.code);
  assert(answered.ok && answered.answer, `no answer: ${answered.ok ? '' : answered.problem}`);
  const taken = await host.acceptCode(answered.answer);
  assert(taken.ok, 'answer refused');
  return { hostCode: taken.shortCode, scannerCode: answered.shortCode };
}

/** A crafted joiner's invite proof with the seed's key, over `binding` as given. */
const inviteProof = (seed: Uint8Array, groupId = GROUP_ID) => (b: Binding): VenueMessage => {
  const keys = inviteKeys(seed);
  const key = fromBase64Url(keys.inviteKey);
  assert(key.ok, 'bad invite key');
  return {
    type: 'invite-proof',
    key: key.bytes,
    signature: sign(venueInviteProofBytes({ groupId, signerFingerprint: b.mine, verifierFingerprint: b.theirs, nonce: b.nonce }), keys.signSecretKey),
  };
};

describe('venue invite links: a newcomer admitted at the meeting', () => {
  before(async () => {
    await ready();
  });
  const open: { close(): void }[] = [];
  afterEach(() => open.splice(0).forEach((thing) => thing.close()));

  /** A hand-made peer scans a fresh code of `host`, and `host` takes its answer. */
  async function crafted(host: VenueSession, onChallenge: Parameters<typeof craftedPeer>[1]) {
    const offer = await host.createOffer();
    assert(offer.ok, 'no offer');
    const peer = await craftedPeer(offer.code, onChallenge);
    open.push(peer);
    await host.acceptCode(peer.answer);
    return peer;
  }

  it('runs the whole handshake over the venue link, then the admitted joiner proves its device key there and syncs posts', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator(invite);
    open.push(host);
    const bob = identityFromSeed(2);
    const guest = joiner(invite, bob);
    open.push(guest);
    const codes = await scan(host.venue, guest.venue);
    assertEqual(codes.hostCode, codes.scannerCode);

    await until('the offer', () => guest.guest.stage.stage === 'offered');
    const door = host.host.atDoor[0]!;
    assert(guest.guest.stage.stage === 'offered' && guest.guest.stage.code === door.code && guest.guest.stage.offer.guidelines === 'Be kind.', 'offer or code differ');
    // Before admission the link is the handshake's only: no member link on either side.
    assertEqual(host.venue.peers().length, 0);
    assertEqual(guest.venue.peers().length, 0);

    guest.guest.agree();
    await until('the agreement', () => host.host.atDoor[0]?.agreed === true);
    assert((await host.host.admit(door.member)).ok, 'not admitted');
    await until('the welcome', () => guest.guest.stage.stage === 'welcomed');
    const final = guest.guest.stage as GuestStage;
    assert(final.stage === 'welcomed', 'not welcomed');
    const welcome = final.welcome;
    const epochs = welcome.epochs.map(({ epoch, secret }) => ({ epoch, secret: (fromBase64Url(secret) as { ok: true; bytes: Uint8Array }).bytes }));
    const joined: Member = await device(bob, epochs);
    assertEqual(guest.stages.join(), 'offered,agreed,welcomed');

    // Admitted: the same link is re-proven with Bob's device key and carries the group.
    const sync = new EnvelopeSync({ log: joined.log, transport: guest.venue.transport });
    open.push({ close: () => sync.destroy() });
    guest.venue.admitted(new GroupKeyring(GROUP_ID, epochs), (key) => joined.log.membership.members.has(toBase64Url(key)));
    await until('a member link on both sides', () => host.venue.peers().length === 1 && guest.venue.peers().length === 1);
    assertEqual(host.venue.peers()[0]!.authorId, toBase64Url(bob.signPublicKey));
    assertEqual(guest.venue.peers()[0]!.authorId, host.alice.id);
    await until('the membership log reached Bob', () => joined.log.membership.members.has(toBase64Url(bob.signPublicKey)));
    await post(host.alice, 'Welcome, Bob.');
    await until('Bob reads Alice’s post', () => view(joined).posts.some((p) => p.record.body === 'Welcome, Bob.'));
    await post(joined, 'Thank you.');
    await until('Alice reads Bob’s post', () => view(host.alice).posts.some((p) => p.record.body === 'Thank you.'));

    // The invite is used now: the same seed, tried on a fresh code by another device, is refused and says why.
    const again = joiner(invite, identityFromSeed(9));
    open.push(again);
    await scan(host.venue, again.venue);
    await until('the refusal', () => again.refusals.length > 0);
    assertEqual(again.refusals.join(), 'used');
    assert(host.problems.includes('invite-refused'), 'the host did not say an invite was refused');
    assertEqual(again.guest.stage.stage, 'asking');
  });

  it('refuses an expired invite, saying so to the seed holder, and shows it nothing of the group, also once the device no longer hosts it', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator({ seed: invite.seed, expiresAt: Date.now() + 200 });
    open.push(host);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const when of ['hosted', 'no longer hosted']) {
      if (when === 'no longer hosted') host.host.destroy(); // closes its venue door, as after a restart
      const peer = await crafted(host.venue, inviteProof(invite.seed));
      await until(`the refusal (${when})`, () => peer.received.some((m) => m.type === 'invite-refused'));
      const refused = peer.received.find((m) => m.type === 'invite-refused') as Extract<VenueMessage, { type: 'invite-refused' }>;
      assertEqual(refused.reason, 'expired');
      assertEqual(peer.received.map((m) => m.type).join(), 'challenge,invite-refused');
      await until('the link closed', () => !peer.open());
    }
  });

  it('closes with nothing said on a valid invite this device does not host', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator(invite);
    open.push(host);
    host.host.destroy();
    const peer = await crafted(host.venue, inviteProof(invite.seed));
    await until('the refusal', () => host.problems.includes('bad-proof'));
    await until('the link closed', () => !peer.open());
    assertEqual(peer.received.map((m) => m.type).join(), 'challenge');
  });

  it('tells a real joiner when the phone it scanned closes on its invite without a word, and nothing more', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator(invite);
    open.push(host);
    host.host.destroy();
    const bob = joiner(invite, identityFromSeed(7));
    open.push(bob);
    const problems: VenueProblem[] = [];
    bob.venue.on('problem', (problem) => problems.push(problem));
    await scan(host.venue, bob.venue);
    await until('the joiner told', () => problems.includes('no-answer'));
    assertEqual(problems.join(), 'no-answer');
    assertEqual(bob.refusals.length, 0);
    assertEqual(bob.stages.join(), '');
  });

  it('tells a joiner refused with a reason only that reason, not that the phone did not answer', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator({ seed: invite.seed, expiresAt: Date.now() + 200 });
    open.push(host);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const bob = joiner(invite, identityFromSeed(8));
    open.push(bob);
    const problems: VenueProblem[] = [];
    bob.venue.on('problem', (problem) => problems.push(problem));
    await scan(host.venue, bob.venue);
    await until('the refusal', () => bob.refusals.includes('expired'));
    await until('the link closed', () => host.problems.includes('invite-refused'));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assertEqual(problems.join(), '');
  });

  const strangers: [string, (seed: Uint8Array) => (b: Binding) => VenueMessage][] = [
    ['an invite key the group never logged', () => inviteProof(newOneTimeInvite(GROUP_ID).invite.seed)],
    ['the right invite key over other certificates (a proof copied from another link)', (seed) => (b) => inviteProof(seed)({ ...b, mine: b.theirs, theirs: b.mine })],
    ['the right invite key over another nonce', (seed) => (b) => inviteProof(seed)({ ...b, nonce: new Uint8Array(32).fill(3) })],
    ['the right invite key for another group', (seed) => inviteProof(seed, new Uint8Array(16).fill(5))],
    [
      'the invite key signing a member’s proof',
      (seed) => (b) => {
        const keys = inviteKeys(seed);
        const signed = venueProofBytes({ groupId: GROUP_ID, role: 'answer', signerFingerprint: b.mine, verifierFingerprint: b.theirs, nonce: b.nonce });
        return { type: 'invite-proof', key: (fromBase64Url(keys.inviteKey) as { ok: true; bytes: Uint8Array }).bytes, signature: sign(signed, keys.signSecretKey) };
      },
    ],
  ];
  for (const [what, proof] of strangers) {
    it(`gives a stranger proving ${what} nothing but a nonce`, async () => {
      const { invite } = newOneTimeInvite(GROUP_ID);
      const host = await facilitator(invite);
      open.push(host);
      const peer = await crafted(host.venue, proof(invite.seed));
      await until('the refusal', () => host.problems.includes('bad-proof'));
      await until('the link closed', () => !peer.open());
      assertEqual(peer.received.map((m) => m.type).join(), 'challenge');
      assertEqual(host.host.atDoor.length, 0);
    });
  }

  it('carries nothing but the handshake to a joiner before admission, and closes on anything else it sends', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const host = await facilitator(invite);
    open.push(host);
    // A member linked to the host, writing and showing presence, while the joiner waits.
    const carol = identityFromSeed(3);
    const joinerPeer = await crafted(host.venue, inviteProof(invite.seed));
    await until('the host’s proof and door state', () => joinerPeer.received.some((m) => m.type === 'invite-state'));
    host.venue.publishPresence('sealed-presence-stand-in');
    await post(host.alice, 'Only for members.');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const types = joinerPeer.received.map((m) => m.type);
    assert(types.every((t) => HANDSHAKE.has(t)), `the joiner received ${types.join()}`);
    assertEqual(host.venue.peers().length, 0);

    // A member's proof by a key that was never admitted over this link is refused…
    const signed = venueProofBytes({ groupId: GROUP_ID, role: 'answer', signerFingerprint: joinerPeer.binding!.mine, verifierFingerprint: joinerPeer.binding!.theirs, nonce: joinerPeer.binding!.nonce });
    joinerPeer.send({ type: 'proof', key: carol.signPublicKey, signature: sign(signed, carol.signSecretKey) });
    await until('the refusal', () => host.problems.includes('not-a-member'));
    await until('the link closed', () => !joinerPeer.open());
    assertEqual(host.venue.peers().length, 0);

    // …and so is a sync message on an invite link.
    const pushy = await crafted(host.venue, inviteProof(invite.seed));
    await until('the invite link', () => pushy.received.some((m) => m.type === 'invite-state'));
    pushy.send({ type: 'sync', payload: Uint8Array.of(1, 1) });
    await until('the link closed', () => !pushy.open());
    assertEqual(host.venue.peers().length, 0);
    assert(pushy.received.every((m) => HANDSHAKE.has(m.type)), 'a non-handshake message reached the joiner');
  });

  it('keeps a joiner from showing a code', async () => {
    const { invite } = newOneTimeInvite(GROUP_ID);
    const guest = joiner(invite, identityFromSeed(2));
    open.push(guest);
    const shown = await guest.venue.createOffer();
    assertEqual(shown.ok ? 'ok' : shown.problem, 'not-yet-member');
  });
});
