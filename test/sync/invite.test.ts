import { bytesEqual, deriveGroupId, ready } from '../../crypto/index.js';
import { encodeInvite, inviteLink, parseInvite, type Invite } from '../../src/sync/invite.js';
import { assert, assertEqual } from '../assert.js';
import { GROUP_SECRET, identityFromSeed } from '../fixtures/group.js';

describe('invite links', () => {
  before(async () => {
    await ready();
  });

  let invite: Invite;
  before(() => {
    const creatorKey = identityFromSeed(1).signPublicKey;
    const salt = new Uint8Array(16).fill(7);
    invite = { groupId: deriveGroupId(creatorKey, salt), epoch: 3, secret: GROUP_SECRET, creatorKey, salt, groupName: 'Tuesday circle ☕' };
  });

  it('round-trips a group id, epoch, secret and name through a link', () => {
    const result = parseInvite(inviteLink('https://hearth.example/app/#old', invite));
    assert(result.ok);
    assert(bytesEqual(result.invite.groupId, invite.groupId) && bytesEqual(result.invite.secret, GROUP_SECRET));
    assert(bytesEqual(result.invite.creatorKey, invite.creatorKey) && bytesEqual(result.invite.salt, invite.salt));
    assertEqual(result.invite.epoch, 3);
    assertEqual(result.invite.groupName, 'Tuesday circle ☕');
  });

  it('keeps the secret in the fragment, out of the part a server sees', () => {
    const link = inviteLink('https://hearth.example/', invite);
    assert(link.startsWith('https://hearth.example/#join='));
  });

  it('says a link was cut off when any tail of it is missing', () => {
    const fragment = encodeInvite(invite);
    for (let cut = 1; cut < fragment.length - '#join='.length; cut++) {
      const result = parseInvite(fragment.slice(0, fragment.length - cut));
      assert(!result.ok, `cut ${cut} parsed`);
      assert(['truncated', 'bad-encoding'].includes(result.error), `cut ${cut}: ${result.error}`);
    }
    const half = parseInvite(fragment.slice(0, 40));
    assert(!half.ok && half.error === 'truncated');
  });

  it('names what is wrong with links that are not invites or are damaged', () => {
    const cases: [string, string][] = [
      ['https://hearth.example/', 'not-an-invite'],
      ['#join=', 'truncated'],
      ['#join=%%%', 'bad-encoding'],
      ['#join=Aw', 'unsupported-version'],
      ['#join=AQ', 'outdated-version'],
    ];
    for (const [link, code] of cases) {
      const result = parseInvite(link);
      assert(!result.ok && result.error === code, `${link}: ${result.ok ? 'ok' : result.error}`);
    }
  });

  it('refuses an invite that names someone else as the group creator', () => {
    const forged = parseInvite(encodeInvite({ ...invite, creatorKey: identityFromSeed(66).signPublicKey }));
    assert(!forged.ok && forged.error === 'wrong-creator');
  });

  it('accepts an invite to a group carried over from v1, whose id is not derived', () => {
    const carried = parseInvite(encodeInvite({ ...invite, groupId: new Uint8Array(16).fill(9), salt: new Uint8Array(16) }));
    assert(carried.ok);
  });
});
