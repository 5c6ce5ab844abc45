import { bytesEqual, fromBase64Url, ready, toBase64Url } from '../../crypto/index.js';
import { admitMember, logInvite, revokeInvite } from '../../src/log/membershipOps.js';
import {
  INVITE_LIFETIME_MS,
  ONE_TIME_INVITE_MESSAGES,
  checkJoinRequest,
  encodeOneTimeInvite,
  inviteKeys,
  makeJoinRequest,
  newOneTimeInvite,
  openSealedJson,
  parseOneTimeInvite,
  sealJsonTo,
  shortCode,
  type InviteOffer,
} from '../../src/sync/oneTimeInvite.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { GROUP_ID, GROUP_SECRET, identityFromSeed } from '../fixtures/group.js';
import { deliver, device, founder } from '../log/membershipFixtures.js';

describe('one-time invites (invite v3)', () => {
  before(async () => {
    await ready();
  });

  it('carries only the group id, a random seed and the signaling hint: no group secret', () => {
    const { invite } = newOneTimeInvite(GROUP_ID, 'wss://signal.example');
    const link = 'https://hearth.example/' + encodeOneTimeInvite(invite);
    const parsed = parseOneTimeInvite(link);
    assert(parsed.ok);
    assert(bytesEqual(parsed.invite.seed, invite.seed) && bytesEqual(parsed.invite.groupId, GROUP_ID));
    assertEqual(parsed.invite.signalingHint, 'wss://signal.example');
    const bytes = fromBase64Url(link.split('#invite=')[1]!);
    assert(bytes.ok && bytes.bytes.length === 1 + 16 + 32 + 1 + 'wss://signal.example'.length);
    const hex = Buffer.from(bytes.bytes).toString('hex');
    assert(!hex.includes(Buffer.from(GROUP_SECRET).toString('hex')), 'the group secret is not in the link');
  });

  it('answers an old v1 or v2 link, and a damaged one, in plain words', () => {
    const old = parseOneTimeInvite('https://hearth.example/#join=AgARIjNEVWZ3iJmqu8zd7v8');
    assert(!old.ok && old.error === 'old-invite');
    assert(ONE_TIME_INVITE_MESSAGES['old-invite'].includes('ask a facilitator of the group for a new invite'));
    const { invite } = newOneTimeInvite(GROUP_ID);
    const link = encodeOneTimeInvite(invite);
    const cut = parseOneTimeInvite(link.slice(0, -10));
    assert(!cut.ok && cut.error === 'truncated');
    const junk = parseOneTimeInvite('#invite=not*valid');
    assert(!junk.ok && junk.error === 'bad-encoding');
  });

  it('admits one joiner through a logged invite, and then admits no one with it or any copy of it', async () => {
    const alice = await founder();
    const { invite, keys } = newOneTimeInvite(GROUP_ID);
    assert((await logInvite(alice.log, { inviteKey: keys.inviteKey, expiresAt: Date.now() + INVITE_LIFETIME_MS, uses: 1 })).ok);
    const bob = identityFromSeed(2);
    const request = makeJoinRequest(invite, bob, 'Bob', Date.now());
    const checked = checkJoinRequest(JSON.parse(JSON.stringify(request)), GROUP_ID, alice.log.membership, Date.now());
    assert(checked.ok);
    const { outcome, secrets } = await admitMember(alice.log, { member: request.member, boxKey: request.boxKey, invite: request.inviteKey });
    assert(outcome.ok && secrets.length === 1);
    const copy = parseOneTimeInvite(encodeOneTimeInvite(invite));
    assert(copy.ok);
    const mallory = identityFromSeed(9);
    const again = checkJoinRequest(makeJoinRequest(copy.invite, mallory, 'Mallory', Date.now()), GROUP_ID, alice.log.membership, Date.now());
    assertDeepEqual(again, { ok: false, refusal: 'used' });
    // Even a facilitator's device that skipped the check cannot make the log count a second admission.
    const forced = await admitMember(alice.log, { member: toBase64Url(mallory.signPublicKey), boxKey: toBase64Url(mallory.boxPublicKey), invite: keys.inviteKey });
    assert(!forced.outcome.ok && forced.secrets.length === 0);
    assert(!alice.log.membership.members.has(toBase64Url(mallory.signPublicKey)));
  });

  it('admits no one with an expired or a revoked invite, and says which', async () => {
    const alice = await founder();
    const expired = newOneTimeInvite(GROUP_ID);
    assert((await logInvite(alice.log, { inviteKey: expired.keys.inviteKey, expiresAt: Date.now() - 1, uses: 1 })).ok);
    const revoked = newOneTimeInvite(GROUP_ID);
    assert((await logInvite(alice.log, { inviteKey: revoked.keys.inviteKey, expiresAt: Date.now() + INVITE_LIFETIME_MS, uses: 1 })).ok);
    assert((await revokeInvite(alice.log, revoked.keys.inviteKey)).ok);
    const bob = identityFromSeed(2);
    assertDeepEqual(checkJoinRequest(makeJoinRequest(expired.invite, bob, 'Bob', Date.now()), GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'expired' });
    assertDeepEqual(checkJoinRequest(makeJoinRequest(revoked.invite, bob, 'Bob', Date.now()), GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'revoked' });
    const unknown = newOneTimeInvite(GROUP_ID);
    assertDeepEqual(checkJoinRequest(makeJoinRequest(unknown.invite, bob, 'Bob', Date.now()), GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'unknown-invite' });
  });

  it('rejects a join request whose keys were swapped after signing, or that was signed without the seed', async () => {
    const alice = await founder();
    const { invite, keys } = newOneTimeInvite(GROUP_ID);
    await logInvite(alice.log, { inviteKey: keys.inviteKey, expiresAt: Date.now() + INVITE_LIFETIME_MS, uses: 1 });
    const request = makeJoinRequest(invite, identityFromSeed(2), 'Bob', Date.now());
    const swapped = { ...request, boxKey: toBase64Url(identityFromSeed(9).boxPublicKey) };
    assertDeepEqual(checkJoinRequest(swapped, GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'bad-signature' });
    const guessed = makeJoinRequest({ ...invite, seed: new Uint8Array(32).fill(7) }, identityFromSeed(2), 'Bob', Date.now());
    const forged = { ...guessed, inviteKey: keys.inviteKey };
    assertDeepEqual(checkJoinRequest(forged, GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'bad-signature' });
    assertDeepEqual(checkJoinRequest('junk', GROUP_ID, alice.log.membership, Date.now()), { ok: false, refusal: 'malformed' });
  });

  it('shows the same short code on both screens, and another code to a second holder of the link', () => {
    const { keys } = newOneTimeInvite(GROUP_ID);
    const joiner = toBase64Url(identityFromSeed(2).signPublicKey);
    const facilitator = toBase64Url(identityFromSeed(1).signPublicKey);
    const code = shortCode(keys.inviteKey, joiner, facilitator);
    assert(/^\d{6}$/.test(code));
    assertEqual(shortCode(keys.inviteKey, joiner, facilitator), code);
    assert(shortCode(keys.inviteKey, toBase64Url(identityFromSeed(9).signPublicKey), facilitator) !== code);
  });

  it('seals the group details and the welcome to the joiner only, and the welcome opens the board', async () => {
    const alice = await founder();
    const bob = identityFromSeed(2);
    const offer: InviteOffer = { name: 'Tuesday circle', guidelines: 'Be kind.', facilitator: alice.id };
    const sealed = sealJsonTo(offer, toBase64Url(bob.boxPublicKey))!;
    assertDeepEqual(openSealedJson<InviteOffer>(sealed, bob), offer);
    assertEqual(openSealedJson<InviteOffer>(sealed, identityFromSeed(9)), undefined);
    const { secrets } = await admitMember(alice.log, { member: toBase64Url(bob.signPublicKey), boxKey: toBase64Url(bob.boxPublicKey) });
    const joined = await device(bob, secrets.map(({ epoch, secret }) => ({ epoch, secret })));
    deliver(alice, joined);
    assert(joined.log.membership.members.has(joined.id));
    assertEqual(inviteKeys(newOneTimeInvite(GROUP_ID).invite.seed).rendezvousRoom.startsWith('hearth-invite-'), true);
  });
});
