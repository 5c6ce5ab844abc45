import * as Y from 'yjs';
import { toBase64Url } from '../../crypto/index.js';
import { authorIdOf, Board } from '../../src/model/index.js';
import { openHearthStore, type HearthStore } from '../../src/store/index.js';
import { CiphertextLog } from '../../src/sync/ciphertextLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { benchKeyring, copyDoc, hearthBoardWithPosts, type HearthBoard } from '../shared/fixtures.js';
import { now, renderFirstScreen } from './common.js';

/**
 * Open offline: an N-post board from IndexedDB to its first render, in a fresh page, as the app
 * opens a group (src/app/groupRuntime.ts): open the store, read device and group, load the
 * stored log into a log doc, open its envelopes into the board, compute the view. Baseline:
 * plain Yjs with y-indexeddb holding the same records unencrypted.
 */

export type OfflineVariant = 'hearth-written' | 'hearth-compacted' | 'plain-y-indexeddb';

const DATABASES = { 'hearth-written': 'bench-hearth-written', 'hearth-compacted': 'bench-hearth-compacted' } as const;
const PLAIN_DATABASE = 'bench-plain-y-indexeddb';
/** Loaded only when the runner says y-indexeddb is installed (a static import would fail to resolve). */
const PLAIN_MODULE = '/bench/pages/yIndexeddbBaseline.ts';

async function storeOrThrow(name: string): Promise<HearthStore> {
  const opened = await openHearthStore(name);
  if (!opened.ok) throw new Error(`store ${name}: ${opened.error.code}`);
  return opened.value;
}

async function persistHearth(name: string, member: HearthBoard, keyringVariant: number): Promise<void> {
  const store = await storeOrThrow(name);
  const keyring = benchKeyring(keyringVariant);
  const id = toBase64Url(keyring.groupId);
  const saved = [
    await store.saveDevice({ identity: member.identity, displayName: 'bench', createdAt: 0 }),
    await store.saveGroup({
      id,
      groupId: keyring.groupId,
      name: 'Bench circle',
      epochs: [{ epoch: 0, secret: keyring.secret(0)! }],
      joinedAt: 0,
      counter: member.sync.counter.current,
    }),
  ];
  const failed = saved.find((result) => !result.ok);
  if (failed && !failed.ok) throw new Error(`store ${name}: ${failed.error.code}`);
  // What the app's persistence writes as the log grows, merged: the whole log state.
  const scratch = new Y.Doc();
  const persistence = store.persistLog(id, scratch);
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(member.log));
  const flushed = await persistence.flush();
  if (!flushed.ok) throw new Error(`store ${name}: ${flushed.error.code}`);
  await store.close();
}

export interface OfflinePrepared {
  posts: number;
  plainStored: boolean;
}

/** Writes the three databases once; each later open runs in a fresh page of the same profile. */
export async function offlinePrepare(options: { posts: number; plain: boolean }): Promise<OfflinePrepared> {
  const written = hearthBoardWithPosts(options.posts, 1, benchKeyring(1));
  await persistHearth(DATABASES['hearth-written'], written, 1);
  const compacted = hearthBoardWithPosts(options.posts, 1, benchKeyring(2));
  compacted.sync.compact();
  await persistHearth(DATABASES['hearth-compacted'], compacted, 2);
  if (options.plain) {
    const { storePlain } = (await import(/* @vite-ignore */ PLAIN_MODULE)) as typeof import('./yIndexeddbBaseline.js');
    if ((await storePlain(PLAIN_DATABASE, copyDoc(written.board))) === 0) throw new Error('y-indexeddb stored nothing');
  }
  return { posts: options.posts, plainStored: options.plain };
}

export interface OfflineResult {
  variant: OfflineVariant;
  posts: number;
  /** Phases from the start, cumulative, in ms. */
  storeOpenedMs: number | null;
  logLoadedMs: number;
  boardOpenedMs: number;
  renderedMs: number;
}

export async function offlineOpen(variant: OfflineVariant): Promise<OfflineResult> {
  if (variant === 'plain-y-indexeddb') {
    const { loadPlain } = (await import(/* @vite-ignore */ PLAIN_MODULE)) as typeof import('./yIndexeddbBaseline.js');
    const start = now();
    const doc = new Y.Doc();
    const close = await loadPlain(PLAIN_DATABASE, doc);
    const logLoadedMs = now() - start;
    const view = new Board(doc).view();
    renderFirstScreen(view);
    const renderedMs = now() - start;
    await close();
    return { variant, posts: view.posts.length, storeOpenedMs: null, logLoadedMs, boardOpenedMs: logLoadedMs, renderedMs };
  }
  const start = now();
  const store = await storeOrThrow(DATABASES[variant]);
  const device = await store.loadDevice();
  const groups = await store.listGroups();
  if (!device.ok || !device.value || !groups.ok || !groups.value[0]) throw new Error(`${variant}: device or group missing`);
  const group = groups.value[0];
  const storeOpenedMs = now() - start;
  const logDoc = new Y.Doc();
  const loaded = await store.loadLog(group.id, logDoc);
  if (!loaded.ok) throw new Error(`${variant}: ${loaded.error.code}`);
  const logLoadedMs = now() - start;
  const board = new Y.Doc();
  const log = new CiphertextLog({ board, log: logDoc, keyring: new GroupKeyring(group.groupId, group.epochs), identity: device.value.identity });
  const boardOpenedMs = now() - start;
  const view = new Board(board).view(authorIdOf(device.value.identity));
  renderFirstScreen(view);
  const renderedMs = now() - start;
  log.destroy();
  await store.close();
  return { variant, posts: view.posts.length, storeOpenedMs, logLoadedMs, boardOpenedMs, renderedMs };
}
