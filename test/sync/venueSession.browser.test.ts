import { bytesEqual, ready, sign, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { EnvelopeCounter } from '../../src/log/counter.js';
import { openPresence, sealPresence } from '../../src/sync/presence.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { venueProofBytes, type VenueMessage } from '../../src/sync/venueMessages.js';
import { VenueSession, type VenueProblem } from '../../src/sync/venueSession.js';
import { assert, assertEqual } from '../assert.js';
import { craftedPeer, until, type Binding } from './venuePeer.js';
import { exchange, identityFromSeed, introduce, keyring, member, post, view } from '../fixtures/group.js';

/**
 * The venue session's rules, attacked with crafted bytes: real RTCPeerConnections in one page
 * (host candidates, no ICE servers), a real VenueSession on one side and, on the other, a
 * hand-made peer that says exactly what the test wants.
 */

const MEMBER_SEEDS = [1, 2, 3];

function session(identity: DeviceIdentity, problems: VenueProblem[] = []): VenueSession {
  const members = MEMBER_SEEDS.map((seed) => identityFromSeed(seed).signPublicKey);
  const venue = new VenueSession({ keyring: keyring(), identity, isMember: (key) => members.some((m) => bytesEqual(m, key)), gatherTimeoutMs: 1000 });
  venue.on('problem', (problem) => problems.push(problem));
  return venue;
}

/** A peer under the test's control, answering `offer` as `identity`; `proof` decides what it signs. */
const memberPeer = (offerBytes: Uint8Array, identity: DeviceIdentity, proof: (binding: Binding) => Uint8Array | null) =>
  craftedPeer(offerBytes, (binding) => {
    const signed = proof(binding);
    return signed ? { type: 'proof', key: identity.signPublicKey, signature: sign(signed, identity.signSecretKey) } : null;
  });

/** The proof a correct answerer signs. */
const honest = ({ mine, theirs, nonce }: { mine: Uint8Array; theirs: Uint8Array; nonce: Uint8Array }) =>
  venueProofBytes({ groupId: keyring().groupId, role: 'answer', signerFingerprint: mine, verifierFingerprint: theirs, nonce });

describe('venue session: proving both ends', () => {
  before(async () => {
    await ready();
  });
  const open: { close(): void }[] = [];
  afterEach(() => open.splice(0).forEach((thing) => thing.close()));

  async function hostAndPeer(peerIdentity: DeviceIdentity, proof: Parameters<typeof memberPeer>[2]) {
    await ready();
    const problems: VenueProblem[] = [];
    const host = session(identityFromSeed(1), problems);
    open.push(host);
    const offer = await host.createOffer();
    assert(offer.ok, 'no offer');
    const peer = await memberPeer(offer.code, peerIdentity, proof);
    open.push(peer);
    const taken = await host.acceptCode(peer.answer);
    assert(taken.ok, 'answer refused');
    return { host, peer, problems };
  }

  it('links a member whose proof names both certificates and the host’s nonce', async () => {
    const { host, peer } = await hostAndPeer(identityFromSeed(2), honest);
    await until('a proven link', () => host.peers().length === 1);
    assertEqual(host.peers()[0]!.authorId, toBase64Url(identityFromSeed(2).signPublicKey));
    await until('the host’s own proof', () => peer.received.some((m) => m.type === 'proof'));
  });

  const forgeries: [string, Parameters<typeof memberPeer>[2]][] = [
    ['the certificates swapped', (b) => honest({ ...b, mine: b.theirs, theirs: b.mine })],
    ['another nonce (a replay)', (b) => honest({ ...b, nonce: new Uint8Array(32).fill(1) })],
    ['the offerer’s role', (b) => venueProofBytes({ groupId: keyring().groupId, role: 'offer', signerFingerprint: b.mine, verifierFingerprint: b.theirs, nonce: b.nonce })],
    ['another group', (b) => venueProofBytes({ groupId: new Uint8Array(16), role: 'answer', signerFingerprint: b.mine, verifierFingerprint: b.theirs, nonce: b.nonce })],
  ];
  for (const [what, proof] of forgeries) {
    it(`refuses a member’s proof signed over ${what}, and never proves itself to it`, async () => {
      const { host, peer, problems } = await hostAndPeer(identityFromSeed(2), proof);
      await until('the refusal', () => problems.includes('bad-proof'));
      await until('the link closed', () => !peer.open());
      assertEqual(host.peers().length, 0);
      assertEqual(peer.received.map((m) => m.type).join(), 'challenge');
    });
  }

  it('refuses a valid proof by a key that is not a member', async () => {
    const { host, peer, problems } = await hostAndPeer(identityFromSeed(7), honest);
    await until('the refusal', () => problems.includes('not-a-member'));
    assertEqual(host.peers().length, 0);
    assertEqual(peer.received.map((m) => m.type).join(), 'challenge');
  });

  it('says so when a code is for another group, or an answer is to an older code', async () => {
    const host = session(identityFromSeed(1));
    const elsewhere = new VenueSession({ keyring: keyring(new Uint8Array(32).fill(7)), identity: identityFromSeed(2), isMember: () => true, gatherTimeoutMs: 1000 });
    const member = session(identityFromSeed(2));
    open.push(host, elsewhere, member);
    const first = await host.createOffer();
    assert(first.ok, 'no offer');
    const other = await elsewhere.acceptCode(first.code);
    assertEqual(other.ok ? 'ok' : other.problem, 'other-group');
    const answered = await member.acceptCode(first.code);
    assert(answered.ok && answered.answer, 'no answer');
    assert((await host.createOffer()).ok, 'no second offer');
    const stale = await host.acceptCode(answered.answer);
    assertEqual(stale.ok ? 'ok' : stale.message, 'That answer belongs to an older code. Please show a new code and scan again.');
  });

  it('closes a connection that sends sync bytes before proving itself', async () => {
    const { host, peer, problems } = await hostAndPeer(identityFromSeed(2), () => null);
    await until('open', () => peer.open());
    peer.send({ type: 'sync', payload: Uint8Array.of(1, 1) });
    await until('the refusal', () => problems.includes('bad-proof'));
    assertEqual(host.peers().length, 0);
  });
});

describe('venue session: after the proofs', () => {
  before(async () => {
    await ready();
  });
  const open: { close(): void }[] = [];
  afterEach(() => open.splice(0).forEach((thing) => thing.close()));

  async function linked() {
    await ready();
    const host = session(identityFromSeed(1));
    open.push(host);
    const offer = await host.createOffer();
    assert(offer.ok, 'no offer');
    const peer = await memberPeer(offer.code, identityFromSeed(2), honest);
    open.push(peer);
    await host.acceptCode(peer.answer);
    await until('a proven link', () => host.peers().length === 1 && peer.received.some((m) => m.type === 'proof'));
    return { host, peer };
  }

  it('shows a member’s own sealed presence, and drops presence sealed by another member', async () => {
    const { host, peer } = await linked();
    const seal = (seed: number) =>
      sealPresence({ keyring: keyring(), identity: identityFromSeed(seed), counter: new EnvelopeCounter(), displayName: `member ${seed}`, since: 1 }).sealed;
    const shown = () => host.presenceStates().map((state) => {
      const opened = openPresence(state, keyring());
      return opened.ok ? opened.member.displayName : 'unreadable';
    });
    peer.send({ type: 'presence', sealed: seal(3) });
    peer.send({ type: 'presence', sealed: seal(2) });
    await until('its own presence', () => shown().join() === 'member 2');
    peer.send({ type: 'presence', sealed: seal(3) });
    await until('the other’s presence dropped', () => shown().length === 0);
  });

  it('introduces a newly scanned member, and forwards a relay only as sent by the link it came on', async () => {
    const { host, peer } = await linked();
    const offer = await host.createOffer();
    assert(offer.ok, 'no offer');
    const third = await memberPeer(offer.code, identityFromSeed(3), honest);
    open.push(third);
    await host.acceptCode(third.answer);
    await until('the third linked', () => host.peers().length === 2);
    await until('the introduction', () => peer.received.some((m) => m.type === 'introduce'));
    const introduce = peer.received.find((m) => m.type === 'introduce') as Extract<VenueMessage, { type: 'introduce' }>;
    assert(bytesEqual(introduce.key, identityFromSeed(3).signPublicKey), 'introduced the wrong member');
    const to = identityFromSeed(3).signPublicKey;
    peer.send({ type: 'relay', to, from: identityFromSeed(1).signPublicKey, code: offer.code }); // not its own key
    peer.send({ type: 'relay', to, from: identityFromSeed(2).signPublicKey, code: offer.code });
    await until('the honest relay', () => third.received.some((m) => m.type === 'relay'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const relays = third.received.filter((m): m is Extract<VenueMessage, { type: 'relay' }> => m.type === 'relay');
    assertEqual(relays.length, 1);
    assert(bytesEqual(relays[0]!.from, identityFromSeed(2).signPublicKey), 'forwarded a spoofed sender');
  });
});

describe('venue session: the host relays', () => {
  before(async () => {
    await ready();
  });

  it('carries a member’s posts through the host to a member who has no link of its own to them', async () => {
    const [host, ana, bo] = await Promise.all([member(1), member(2), member(3)]);
    await introduce(host, 'Hana');
    await introduce(ana, 'Ana');
    await introduce(bo, 'Bo');
    exchange(host, ana);
    exchange(host, bo);
    // Ana's board does not list Bo yet, so Ana refuses the host's introduction of Bo.
    // As GroupSession.openVenue wires it (y-webrtc, which GroupSession loads, does not load here).
    const sessions = [host, ana, bo].map((m) => {
      const venue = new VenueSession({ keyring: keyring(), identity: m.identity, isMember: (key) => view(m).members.has(toBase64Url(key)), gatherTimeoutMs: 1000 });
      const sync = new EnvelopeSync({ log: m.log, transport: venue.transport });
      return { venue, close: () => (sync.destroy(), venue.close()) };
    });
    const [onHost, onAna, onBo] = sessions.map((s) => s.venue) as [VenueSession, VenueSession, VenueSession];
    try {
      for (const scanner of [onAna, onBo]) {
        const offer = await onHost.createOffer();
        assert(offer.ok, 'no offer');
        const answered = await scanner.acceptCode(offer.code);
        assert(answered.ok && answered.answer, 'no answer');
        await onHost.acceptCode(answered.answer);
        await until('linked to the host', () => scanner.peers().length === 1);
      }
      await post(bo, 'Relayed by the host.');
      await until('Ana holds Bo’s post', () => view(ana).posts.some((p) => p.record.body === 'Relayed by the host.'));
      assertEqual(onAna.peers().map((peer) => peer.authorId).join(), host.id);
    } finally {
      sessions.forEach((s) => s.close());
    }
  });
});
