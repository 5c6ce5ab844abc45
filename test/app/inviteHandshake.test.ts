import { fromBase64Url, ready, toBase64Url } from '../../crypto/index.js';
import { logInvite } from '../../src/log/membershipOps.js';
import { InviteGuest, InviteHost, type GuestStage } from '../../src/app/inviteHandshake.js';
import { INVITE_LIFETIME_MS, newOneTimeInvite } from '../../src/sync/oneTimeInvite.js';
import type { RendezvousPort } from '../../src/sync/rendezvous.js';
import { assert, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed } from '../fixtures/group.js';
import { deliver, device, founder } from '../log/membershipFixtures.js';

/** A rendezvous room in memory: every member hears every other's latest state. */
function memoryRoom(): () => RendezvousPort {
  const states = new Map<number, Record<string, unknown>>();
  const listeners = new Map<number, (states: unknown[]) => void>();
  let next = 0;
  const others = (id: number): unknown[] => [...states].filter(([other]) => other !== id).map(([, s]) => s);
  return () => {
    const id = next++;
    return {
      publish(state) {
        states.set(id, state);
        queueMicrotask(() => listeners.forEach((listener, other) => other !== id && listener(others(other))));
      },
      states: () => others(id),
      on(_event, listener) {
        listeners.set(id, listener);
      },
      destroy() {
        states.delete(id);
        listeners.delete(id);
      },
    };
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

describe('invite handshake', () => {
  before(async () => {
    await ready();
  });

  it('lets a joiner ask, read the details, agree, and be admitted with the secrets, showing one code on both sides', async () => {
    const alice = await founder();
    const { invite, keys } = newOneTimeInvite(GROUP_ID);
    await logInvite(alice.log, { inviteKey: keys.inviteKey, expiresAt: Date.now() + INVITE_LIFETIME_MS, uses: 1 });
    const room = memoryRoom();
    const host = new InviteHost(
      room(),
      invite.seed,
      { log: alice.log, groupId: GROUP_ID, ownId: alice.id, offer: () => ({ name: 'Tuesday circle', guidelines: 'Be kind.' }), welcome: () => ({ creatorId: alice.id, name: 'Tuesday circle' }), now: Date.now, autoAdmit: () => false },
      () => undefined,
    );
    const bob = identityFromSeed(2);
    const stages: GuestStage['stage'][] = [];
    const guest = new InviteGuest(room(), invite, bob, 'Bob', Date.now(), (stage) => stages.push(stage.stage));
    await settle();
    assertEqual(guest.stage.stage, 'offered');
    const door = host.atDoor[0]!;
    assert(guest.stage.stage === 'offered' && guest.stage.code === door.code && guest.stage.offer.guidelines === 'Be kind.');
    const early = await host.admit(door.member);
    assert(!early.ok && early.reason === 'not-agreed', 'nobody is admitted before agreeing');
    guest.agree();
    await settle();
    assert(host.atDoor[0]!.agreed);
    assert((await host.admit(door.member)).ok);
    await settle();
    const after = guest.stage as GuestStage;
    assert(after.stage === 'welcomed');
    const welcome = after.welcome;
    const joined = await device(bob, welcome.epochs.map(({ epoch, secret }) => ({ epoch, secret: (fromBase64Url(secret) as { ok: true; bytes: Uint8Array }).bytes })));
    deliver(alice, joined);
    assert(joined.log.membership.members.has(toBase64Url(bob.signPublicKey)));
    assertEqual(stages.join(','), 'offered,agreed,welcomed');

    // The same link, tried again by someone else, admits no one and says why.
    const mallory = new InviteGuest(room(), invite, identityFromSeed(9), 'Mallory', Date.now(), () => undefined);
    await settle();
    assert(mallory.stage.stage === 'refused' && mallory.stage.refusal === 'used');
  });
});
