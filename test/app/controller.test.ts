import * as Y from 'yjs';
import { createGroupSecret, ready, toBase64Url } from '../../crypto/index.js';
import { legacyKey } from '../../src/app/carryV1Board.js';
import { AppController, LAST_GROUP_KEY, NOTICES } from '../../src/app/controller.js';
import type { AppState } from '../../src/app/state.js';
import { parseEnvelopeHeader } from '../../src/log/envelope.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { signRecord, type PostRecord } from '../../src/model/index.js';
import { JOIN_REFUSAL_MESSAGES, ONE_TIME_INVITE_MESSAGES } from '../../src/sync/oneTimeInvite.js';
import { sealEnvelopeV1 } from '../fixtures/envelopeV1.js';
import { identityFromSeed } from '../fixtures/group.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { admitted, send, settle, started, until } from './drive.js';
import { FakeNetwork, MemoryStore, testDeps, type TestApp } from './fakes.js';


/** A device with a name and one group it created; returns the invite link. */
async function creator(network: FakeNetwork): Promise<{ app: TestApp; controller: AppController; link: string; groupId: string }> {
  const app = testDeps({ network });
  const controller = await started(app);
  const state = await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle' });
  assert(state.route.name === 'board');
  const groupId = state.route.groupId;
  const invited = await send(controller, { type: 'navigate', route: { name: 'invite', groupId } });
  return { app, controller, link: invited.invite!.link, groupId };
}

describe('app controller', () => {
  before(async () => {
    await ready();
  });

  it('shows loading first, then welcomes a first-time person', async () => {
    const app = testDeps();
    const controller = new AppController(app.deps);
    const seen: AppState[] = [];
    controller.subscribe((state) => seen.push(state));
    assertEqual(seen[0]!.status, 'loading');
    await controller.start();
    assertEqual(controller.current.status, 'ready');
    assertEqual(controller.current.route.name, 'welcome');
    assertEqual(controller.current.profile, undefined);
  });

  it('fails with the store’s plain words when storage cannot open', async () => {
    const app = testDeps({ storeFails: true });
    const controller = await started(app);
    assertEqual(controller.current.status, 'failed');
    assert(controller.current.notice?.message.includes('private browsing'));
    assertEqual(app.warnings.join(), 'store:unavailable');
  });

  it('creates an identity from a chosen name and lands on the group list', async () => {
    const app = testDeps();
    const controller = await started(app);
    const state = await send(controller, { type: 'choose-name', displayName: '  Ana  ' });
    assertEqual(state.route.name, 'groups');
    assertEqual(state.profile?.displayName, 'Ana');
    assertEqual(app.store.device?.displayName, 'Ana');
    assertEqual(state.profile?.authorId.length, 43);
  });

  it('creates a group, names it on the board, and reopens it after a restart', async () => {
    const store = new MemoryStore();
    const first = testDeps({ store });
    const controller = await started(first);
    const state = await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Tuesday circle', focus: 'mental-health' });
    assert(state.route.name === 'board');
    assertEqual(state.board?.group.name, 'Tuesday circle');
    assertEqual(state.board?.members.get(state.profile!.authorId)?.displayName, 'Ana');
    assertEqual(state.groups.length, 1);
    assertEqual(first.sessions[0]?.status.state, 'connecting');
    await send(controller, { type: 'post', kind: 'story', body: 'A hard week, and I came anyway.' });
    await controller.dispose();
    assert(first.sessions[0]!.destroyed, 'closing the app destroys the session');

    const again = await started(testDeps({ store }));
    assertEqual(again.current.route.name, 'board');
    assertEqual(again.current.board?.posts[0]?.record.body, 'A hard week, and I came anyway.');
    assertEqual(again.current.board?.group.name, 'Tuesday circle');
  });

  it('stores only sealed envelopes for a group’s log', async () => {
    const store = new MemoryStore();
    const controller = await started(testDeps({ store }));
    await send(controller, { type: 'choose-name', displayName: 'Ana' }, { type: 'create-group', name: 'Quiet harbour' });
    const state = await send(controller, { type: 'post', kind: 'story', body: 'plaintext-marker-123' });
    const stored = store.disk.links(state.board!.group.id);
    assert(stored.length >= 3, 'group details, member and post are three links');
    const text = new TextDecoder('latin1').decode(Uint8Array.from(stored.flatMap((link) => [...link.envelope])));
    assert(!text.includes('plaintext-marker-123') && !text.includes('Quiet harbour'), 'the stored envelopes hold no plaintext');
  });

  it('shows my post only once it is on disk, even when the screen refreshes while it is being saved', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const store = a.app.store;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const groupStore = store.disk.open(a.groupId);
    const commit = groupStore.commit.bind(groupStore);
    groupStore.commit = async (entries) => {
      await gate;
      return commit(entries);
    };
    await a.controller.dispose();
    store.envelopes = () => groupStore;
    const controller = await started(testDeps({ store, network }));
    await send(controller, { type: 'navigate', route: { name: 'board', groupId: a.groupId } });
    release();
    let open: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (open = resolve));
    groupStore.commit = async (entries) => {
      await slow;
      return commit(entries);
    };
    const posting = controller.dispatch({ type: 'post', kind: 'story', body: 'Not on disk yet.' });
    await settle();
    const bo = await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) }));
    await send(bo, { type: 'accept-invite', displayName: 'Bo' });
    await settle();
    assert(!controller.current.board!.posts.some((p) => p.record.body === 'Not on disk yet.'), 'shown before it was saved');
    open();
    await posting;
    assert(controller.current.board!.posts.some((p) => p.record.body === 'Not on disk yet.'), 'shown once saved');
  });

  it('carries a v1 board into v2: own records republished, others kept on this device, the v1 log deleted', async () => {
    const store = new MemoryStore();
    const ana = identityFromSeed(1);
    const bo = identityFromSeed(2);
    store.device = { identity: ana, displayName: 'Ana', createdAt: 1 };
    const groupId = new Uint8Array(16).fill(4);
    const secret = createGroupSecret();
    const keyring = new GroupKeyring(groupId, [{ epoch: 0, secret }]);
    const board = new Y.Doc();
    const sign = (who: typeof ana, suffix: string, body: string, createdAt: number): PostRecord => {
      const authorId = toBase64Url(who.signPublicKey);
      return signRecord<PostRecord>({ v: 1, type: 'post', id: `${authorId}/${suffix}`, authorId, createdAt, kind: 'story', body }, who.signSecretKey);
    };
    const log = new Y.Doc();
    board.on('update', (update: Uint8Array) => {
      const envelope = sealEnvelopeV1({ kind: 'update', groupId, epoch: 0, counter: log.getArray('envelopes').length + 1, authorKey: ana.signPublicKey, authorSecretKey: ana.signSecretKey, key: keyring.keyFor(0, 'update')!, plaintext: update });
      log.getArray('envelopes').push([{ e: envelope }]);
    });
    const mine = sign(ana, 'mine', 'Mine, from v1.', 1000);
    const theirs = sign(bo, 'theirs', 'Theirs, from v1.', 2000);
    board.getMap('posts').set(mine.id, mine);
    board.getMap('posts').set(theirs.id, theirs);
    board.getMap('posts').set(`${toBase64Url(bo.signPublicKey)}/forged`, { ...theirs, id: `${toBase64Url(bo.signPublicKey)}/forged`, body: 'forged' });
    const id = toBase64Url(groupId);
    store.groups.set(id, { id, groupId, name: 'Old circle', epochs: [{ epoch: 0, secret }], joinedAt: 1, counter: 0, logVersion: 1 });
    store.legacyLogs.set(id, Y.encodeStateAsUpdate(log));

    const controller = await started(testDeps({ store }));
    const state = await send(controller, { type: 'navigate', route: { name: 'board', groupId: id } });
    assertEqual(state.board?.posts.map((p) => p.record.body).join('|'), 'Theirs, from v1.|Mine, from v1.');
    assertEqual(store.groups.get(id)?.logVersion, 2);
    assertEqual(store.legacyLogs.has(id), false);
    const kept = store.settings.get(legacyKey(id)) as PostRecord[];
    assertEqual(kept.map((r) => r.body).join(), 'Theirs, from v1.');
    const republished = store.disk.links(id).filter((link) => {
      const parsed = parseEnvelopeHeader(link.envelope);
      return parsed.ok && toBase64Url(parsed.header.authorKey) === toBase64Url(ana.signPublicKey);
    });
    assert(republished.length > 0, "Ana's own v1 post is in her chain");
  });

  it('joins from an invite: clears the fragment, asks for a name, then shows the board both ways', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const b = testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) });
    const joiner = await started(b);
    assertEqual(b.cleared, 1, 'the invite leaves the address bar at once');
    assertEqual(joiner.current.route.name, 'join');

    const joined = await admitted(a, joiner, 'Bo');
    assert(joined.route.name === 'board' && joined.route.groupId === a.groupId);
    assertEqual(joined.board?.group.name, 'Tuesday circle');
    assertEqual(joined.board?.sync.peers, 1);

    await send(a.controller, { type: 'post', kind: 'victory', body: 'Thirty days.', milestone: { value: 30, unit: 'days' } });
    const onB = (await send(joiner)).board!;
    assertEqual(onB.posts[0]?.record.milestone?.value, 30);
    const postId = onB.posts[0]!.record.id;
    await send(joiner, { type: 'reply', postId, body: 'So proud.' }, { type: 'react', postId, reaction: 'proud-of-you' });
    const onA = (await send(a.controller)).board!;
    assertEqual(onA.posts[0]?.replies[0]?.record.body, 'So proud.');
    assertEqual(onA.posts[0]?.reactions['proud-of-you'].count, 1);
    assertEqual(onA.members.get(joined.profile!.authorId)?.displayName, 'Bo');
  });

  it('admits no one with an invite already used, and tells the second person so in plain words', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await admitted(a, await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) })), 'Bo');
    const late = await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) }));
    await send(late, { type: 'accept-invite', displayName: 'Cy' });
    await until(() => late.current.route.name === 'bad-invite', 'the refusal');
    const route = late.current.route;
    assert(route.name === 'bad-invite' && route.message === JOIN_REFUSAL_MESSAGES.used);
    assertEqual(late.current.groups.length, 0);
  });

  it('removes a member: a new epoch, a new room, and the removed device is told', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const bo = await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) }));
    const boState = await admitted(a, bo, 'Bo');
    const boId = boState.profile!.authorId;
    const roomBefore = a.app.sessions.at(-1)!.room;
    await send(a.controller, { type: 'remove-member', member: boId });
    await until(() => a.app.sessions.at(-1)!.room !== roomBefore, 'the move to a new room');
    const board = a.controller.current.board!;
    assert(!board.membership.members.some((m) => m.id === boId));
    await until(() => bo.current.board?.membership.removed === true, 'the removed device hearing of it');
    await send(a.controller, { type: 'post', kind: 'story', body: 'After Bo left.' });
    await settle();
    assert(!bo.current.board!.posts.some((p) => p.record.body === 'After Bo left.'));
  });

  it('opens a group already held when its invite is opened again', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await a.controller.dispose();
    const again = await started(testDeps({ store: a.app.store, hash: a.link.slice(a.link.indexOf('#')) }));
    assert(again.current.route.name === 'board' && again.current.route.groupId === a.groupId);
    assertEqual(a.app.store.groups.size, 1);
  });

  it('shows a plain message for a malformed or truncated invite, never a blank screen', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const fragment = a.link.slice(a.link.indexOf('#'));
    for (const [hash, error] of [
      ['#invite=%%%not-base64', 'bad-encoding'],
      [fragment.slice(0, fragment.length - 20), 'truncated'],
      ['#join=AgARIjNEVWZ3iJmqu8zd7v8', 'old-invite'],
    ] as const) {
      const app = testDeps({ hash });
      const controller = await started(app);
      const route = controller.current.route;
      assert(route.name === 'bad-invite', `${error}: route ${route.name}`);
      assertEqual(route.message, ONE_TIME_INVITE_MESSAGES[error]);
      assertEqual(app.cleared, 1);
    }
  });

  it('joins from a pasted invite link without touching the address, and explains a bad one', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const b = testDeps({ network });
    const joiner = await started(b);
    await send(joiner, { type: 'choose-name', displayName: 'Bo' });
    const bad = await send(joiner, { type: 'open-invite', link: a.link.slice(0, -20) });
    assert(bad.route.name === 'bad-invite' && bad.route.message === ONE_TIME_INVITE_MESSAGES.truncated);
    const pasted = await send(joiner, { type: 'open-invite', link: a.link });
    assert(pasted.route.name === 'join');
    const joined = await admitted(a, joiner);
    assert(joined.route.name === 'board' && joined.route.groupId === a.groupId);
    assertEqual(b.cleared, 0, 'a pasted link was never in the address bar');
  });

  it('continues to a pending join after the person chooses a name', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const controller = await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) }));
    await send(controller, { type: 'navigate', route: { name: 'welcome' } });
    const state = await send(controller, { type: 'choose-name', displayName: 'Bo' });
    assertEqual(state.route.name, 'join');
    const joined = await admitted(a, controller);
    assertEqual(joined.route.name, 'board');
  });

  it('marks posts written alone as unshared until a peer has synced', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const state = await send(a.controller, { type: 'post', kind: 'story', body: 'Written before anyone came.' });
    const postId = state.board!.posts[0]!.record.id;
    assert(state.board!.unshared.has(postId));
    assertEqual(a.app.store.settings.get(`unshared:${a.groupId}`) instanceof Array, true);

    const b = await started(testDeps({ network, hash: a.link.slice(a.link.indexOf('#')) }));
    await admitted(a, b, 'Bo');
    await until(() => a.controller.current.board!.unshared.size === 0, 'the sync');
    const after = await send(a.controller);
    assertEqual(after.board!.unshared.size, 0);
    assertEqual(b.current.board!.posts[0]?.record.id, postId);
  });

  it('filters the board by kind', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await send(a.controller, { type: 'post', kind: 'story', body: 's' }, { type: 'post', kind: 'victory', body: 'v' });
    const filtered = await send(a.controller, { type: 'filter', filter: 'victory' });
    assertEqual(filtered.board!.filter, 'victory');
    assertEqual(filtered.board!.posts.map((p) => p.record.body).join(), 'v');
  });

  it('leaves a group: closes it, deletes it and returns to the list', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const state = await send(a.controller, { type: 'leave-group', groupId: a.groupId });
    assertEqual(state.route.name, 'groups');
    assertEqual(state.groups.length, 0);
    assertEqual(state.board, undefined);
    assertEqual(a.app.store.groups.size, 0);
    assert(a.app.sessions[0]!.destroyed);
    assertEqual(a.app.store.settings.get(LAST_GROUP_KEY), '');
  });

  it('reports rejected envelopes once, by code, with a plain notice, and keeps the board', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await send(a.controller, { type: 'post', kind: 'story', body: 'kept' });
    a.app.sessions[0]!.options.log.receive([new Uint8Array([1, 2, 3]), new Uint8Array([4, 5, 6])]);
    const state = await send(a.controller);
    assertEqual(state.notice?.message, NOTICES.rejected);
    assertEqual(a.app.warnings.filter((w) => w.startsWith('rejected:')).length, 1);
    assert(a.app.warnings.every((w) => !w.includes('kept')));
    assertEqual(state.board!.posts[0]?.record.body, 'kept');
    assertEqual(state.board!.sync.rejected, 2);
    const dismissed = await send(a.controller, { type: 'dismiss-notice' });
    assertEqual(dismissed.notice, undefined);
  });

  it('says so when a save fails, and changes nothing it could not save', async () => {
    const app = testDeps();
    const controller = await started(app);
    await send(controller, { type: 'choose-name', displayName: 'Ana' });
    app.store.failWrites = 'quota-exceeded';
    const state = await send(controller, { type: 'create-group', name: 'Circle' });
    assertEqual(state.route.name, 'groups');
    assertEqual(state.groups.length, 0);
    assert(state.notice?.message.includes('quota-exceeded'));
  });

  it('hands a post the disk refused back as the draft, says so, and shows nothing unsaved', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await send(a.controller, { type: 'navigate', route: { name: 'board', groupId: a.groupId } });
    a.app.store.disk.full = true;
    a.app.store.failWrites = 'quota-exceeded';
    const milestone = { value: 30, unit: 'days' as const };
    const state = await send(a.controller, { type: 'post', kind: 'victory', body: 'Thirty days', contentWarning: 'drinking', milestone });
    assert(state.notice?.message.startsWith('Your change could not be saved on this device, so it was not shared.'), state.notice?.message);
    assert(state.notice!.message.endsWith('Your words are kept: “Continue your draft…” brings them back.'));
    assertDeepEqual(state.board!.draft, { kind: 'victory', body: 'Thirty days', contentWarning: 'drinking', milestoneValue: '30', milestoneUnit: 'days' });
    assertEqual(state.board!.posts.length, 0);
  });

  it('shows a shared post without waiting for its draft to be forgotten on disk', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    await send(a.controller, { type: 'navigate', route: { name: 'board', groupId: a.groupId } });
    await send(a.controller, { type: 'save-draft', draft: { kind: 'story', body: 'Half a thought' } });
    const setSetting = a.app.store.setSetting.bind(a.app.store);
    // The disk never answers the draft's deletion.
    a.app.store.setSetting = (key, value) => (key.startsWith('draft:') && value === null ? new Promise(() => {}) : setSetting(key, value));
    const state = await send(a.controller, { type: 'post', kind: 'story', body: 'Half a thought, finished' });
    assertEqual(state.board!.posts[0]?.record.body, 'Half a thought, finished');
    assertEqual(state.board!.draft, undefined);
  });

  it('refuses empty and over-long text with a plain notice', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    const empty = await send(a.controller, { type: 'post', kind: 'story', body: '   ' });
    assertEqual(empty.notice?.message, NOTICES.empty);
    const long = await send(a.controller, { type: 'reply', postId: 'x', body: 'a'.repeat(6000) });
    assertEqual(long.notice?.message, NOTICES.tooLong);
    assertEqual(long.board!.posts.length, 0);
  });

  it('builds a one-time invite link from the app address, with no group secret in it', async () => {
    const network = new FakeNetwork();
    const a = await creator(network);
    assert(a.link.startsWith('https://hearth.example/#invite='));
    assertEqual(a.controller.current.route.name, 'invite');
    assertEqual(a.controller.current.invite?.groupName, 'Tuesday circle');
    const back = await send(a.controller, { type: 'navigate', route: { name: 'board', groupId: a.groupId } });
    assertEqual(back.invite, undefined);
  });

  it('applies a waiting update when asked', async () => {
    let update: (() => void) | undefined;
    let applied = 0;
    const app = testDeps();
    app.deps.onUpdateAvailable = (listener) => {
      update = listener;
    };
    app.deps.applyUpdate = () => applied++;
    const controller = await started(app);
    update!();
    assertEqual(controller.current.updateAvailable, true);
    await send(controller, { type: 'apply-update' });
    assertEqual(applied, 1);
  });
});
