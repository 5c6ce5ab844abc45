import { fromBase64Url, ready, toBase64Url } from '../../crypto/index.js';
import { EnvelopeCounter } from '../../src/log/counter.js';
import { NO_PREVIOUS, sealEnvelope } from '../../src/log/envelope.js';
import { openPresence, presentMembers, sealPresence } from '../../src/sync/presence.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';

describe('presence', () => {
  before(async () => {
    await ready();
  });

  const seal = (seed: number, displayName: string, since: number, counter = new EnvelopeCounter()) =>
    sealPresence({ keyring: keyring(), identity: identityFromSeed(seed), counter, displayName, since });

  it('publishes nothing readable: the awareness state is one sealed blob', () => {
    const state = seal(1, 'Robin from Tuesdays', 1_700_000_000_000);
    assertDeepEqual(Object.keys(state), ['sealed']);
    const bytes = fromBase64Url(state.sealed);
    assert(bytes.ok);
    const text = new TextDecoder().decode(bytes.bytes);
    assert(!text.includes('Robin'), 'display name visible in the sealed blob');
    assert(!state.sealed.includes(toBase64Url(new TextEncoder().encode('Robin'))));
  });

  it('opens a member presence to its author, name and arrival time', () => {
    const result = openPresence(seal(1, 'Robin', 1234), keyring());
    assert(result.ok);
    assertDeepEqual(result.member, { authorId: toBase64Url(identityFromSeed(1).signPublicKey), displayName: 'Robin', since: 1234 });
  });

  it('drops a presence sealed with another group secret', () => {
    const other = keyring(new Uint8Array(32).fill(9));
    assertDeepEqual(openPresence(seal(1, 'Robin', 1), other), { ok: false, error: 'bad-envelope' });
  });

  it('drops states that are not sealed presence', () => {
    const ring = keyring();
    assertDeepEqual(openPresence({ name: 'Robin' }, ring), { ok: false, error: 'not-sealed' });
    assertDeepEqual(openPresence(null, ring), { ok: false, error: 'not-sealed' });
    assertDeepEqual(openPresence({ sealed: 'x'.repeat(5000) }, ring), { ok: false, error: 'not-sealed' });
    assertDeepEqual(openPresence({ sealed: '!!!' }, ring), { ok: false, error: 'bad-encoding' });
  });

  it('drops an update envelope offered as presence', () => {
    const ring = keyring();
    const id = identityFromSeed(1);
    const update = sealEnvelope({
      kind: 'update',
      groupId: GROUP_ID,
      epoch: 0,
      seq: 1,
      prev: NO_PREVIOUS,
      authorKey: id.signPublicKey,
      authorSecretKey: id.signSecretKey,
      key: ring.keyFor(0, 'update')!,
      plaintext: new TextEncoder().encode(JSON.stringify({ v: 1, displayName: 'x', since: 1 })),
    });
    assertDeepEqual(openPresence({ sealed: toBase64Url(update) }, ring), { ok: false, error: 'bad-envelope' });
  });

  it('drops a sealed presence whose content is not the v1 shape', () => {
    const ring = keyring();
    const id = identityFromSeed(1);
    const sealed = (content: string) =>
      toBase64Url(
        sealEnvelope({
          kind: 'presence',
          groupId: GROUP_ID,
          epoch: 0,
          seq: 1,
          prev: NO_PREVIOUS,
          authorKey: id.signPublicKey,
          authorSecretKey: id.signSecretKey,
          key: ring.keyFor(0, 'presence')!,
          plaintext: new TextEncoder().encode(content),
        }),
      );
    for (const content of ['not json', '{"v":2,"displayName":"a","since":1}', '{"v":1,"displayName":5,"since":1}', `{"v":1,"displayName":"${'a'.repeat(65)}","since":1}`]) {
      assertDeepEqual(openPresence({ sealed: sealed(content) }, ring), { ok: false, error: 'bad-content' }, content);
    }
  });

  it('lists each member once, with their newest name and earliest arrival, skipping junk', () => {
    const counter = new EnvelopeCounter();
    const states = [
      seal(2, 'Sam', 500),
      seal(1, 'Robin', 100, counter),
      { sealed: 'junk' },
      seal(1, 'Robin (phone)', 300, counter),
    ];
    const members = presentMembers(states, keyring());
    assertEqual(members.length, 2);
    assertDeepEqual(
      members.map((m) => [m.displayName, m.since]),
      [
        ['Robin (phone)', 100],
        ['Sam', 500],
      ],
    );
  });

  it('leaves the viewer out: "here now" lists the other devices only', () => {
    const viewer = toBase64Url(identityFromSeed(1).signPublicKey);
    const members = presentMembers([seal(1, 'Robin', 100), seal(2, 'Sam', 500)], keyring(), viewer);
    assertDeepEqual(members.map((m) => m.displayName), ['Sam']);
  });
});
