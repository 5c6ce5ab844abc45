import { deleteDB, openDB } from 'idb';
import * as Y from 'yjs';
import { ready, toBase64Url } from '../../crypto/index.js';
import { Board, type BoardView } from '../../src/model/index.js';
import type { HearthStore, StoredDevice, StoredGroup } from '../../src/store/index.js';
import { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { GROUP_ID, GROUP_SECRET, type Member } from '../fixtures/group.js';

/** Planted strings: none of them may appear anywhere in IndexedDB. */
export const DISPLAY_NAME = 'Marigold Quietwater';
export const GROUP_NAME = 'Tuesday Lantern Circle';
export const GUIDELINES = 'What is said in the lantern room stays in the lantern room.';
export const BODY = 'Ninety-one days since the zebra night; the walk by the canal helped.';
export const REPLY = 'So proud of you, the canal walk is a good one.';

let databases = 0;

/**
 * For a describe block: loads crypto before its tests and returns a maker of fresh database
 * names, every one of which is deleted after them.
 */
export function useScratchDatabases(): () => string {
  const names: string[] = [];
  before(async () => {
    await ready();
  });
  after(async () => {
    for (const name of names) await deleteDB(name);
  });
  return () => {
    const name = `hearth-test-${Date.now()}-${databases++}`;
    names.push(name);
    return name;
  };
}

/** Writes a small but complete board: group info, a member, a story with a reply and a reaction, a victory. */
export function writeBoard(m: Member): void {
  const board = new Board(m.board);
  board.setGroupInfo(m.identity, { name: GROUP_NAME, focus: 'mental-health', guidelines: GUIDELINES });
  board.setMember(m.identity, DISPLAY_NAME);
  const story = board.addPost(m.identity, { kind: 'story', body: BODY, contentWarning: 'relapse talk' });
  board.addReply(m.identity, story.id, REPLY);
  board.toggleReaction(m.identity, story.id, 'proud-of-you');
  board.addPost(m.identity, { kind: 'victory', body: 'Three months.', milestone: { value: 3, unit: 'months' } });
}

export function deviceOf(m: Member): StoredDevice {
  return { identity: m.identity, displayName: DISPLAY_NAME, createdAt: 1_700_000_000_000 };
}

export function groupRecord(groupId = GROUP_ID, secret = GROUP_SECRET): StoredGroup {
  return {
    id: toBase64Url(groupId),
    groupId,
    name: GROUP_NAME,
    focus: 'mental-health',
    guidelines: GUIDELINES,
    epochs: [{ epoch: 0, secret }],
    joinedAt: 1_700_000_000_500,
    counter: 42,
  };
}

/** The board view as comparable JSON (members is a Map). */
export function viewJson(view: BoardView): string {
  return JSON.stringify({ ...view, members: [...view.members.entries()] });
}

export function boardViewOf(m: Member): string {
  return viewJson(new Board(m.board).view(toBase64Url(m.identity.signPublicKey)));
}

/** Rebuilds a member's board from the store alone, as the app does at start-up. */
export async function reopenBoard(store: HearthStore): Promise<{ view: string; device: StoredDevice; group: StoredGroup; log: Y.Doc }> {
  const device = unwrap(await store.loadDevice());
  if (!device) throw new Error('no device stored');
  const [group] = unwrap(await store.listGroups());
  if (!group) throw new Error('no group stored');
  const board = new Y.Doc();
  const log = new Y.Doc();
  unwrap(await store.loadLog(group.id, log));
  const sync = new CiphertextLog({ board, log, keyring: new GroupKeyring(group.groupId, group.epochs), identity: device.identity });
  const view = viewJson(new Board(board).view(toBase64Url(device.identity.signPublicKey)));
  sync.destroy();
  return { view, device, group, log };
}

export function unwrap<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`store error ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Every key and value of every store, read with raw IndexedDB. */
export async function rawContents(name: string): Promise<{ version: number; stores: Record<string, { keys: unknown[]; values: unknown[] }> }> {
  const db = await openDB(name);
  const stores: Record<string, { keys: unknown[]; values: unknown[] }> = {};
  for (const storeName of [...db.objectStoreNames]) {
    stores[storeName] = { keys: await db.getAllKeys(storeName), values: await db.getAll(storeName) };
  }
  const version = db.version;
  db.close();
  return { version, stores };
}
