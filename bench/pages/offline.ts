import * as Y from 'yjs';
import { GroupLog } from '../../src/log/groupLog.js';
import { GroupKeyring } from '../../src/log/keyring.js';
import { authorIdOf } from '../../src/model/index.js';
import { benchKeyring, decodeBase64Url, hearthView, identityFromSeed, plainView, WRITER_SEED } from '../shared/fixtures.js';
import { freshStore, now, storeWriter } from './common.js';

/**
 * Open offline: an N-post board from IndexedDB to its view, in a fresh page, as the app opens a
 * group (src/app/groupRuntime.ts): open the store, read device and group, GroupLog.open over the
 * group's envelopes (decrypted, not re-verified), compute the board view. Baseline: plain Yjs
 * with y-indexeddb holding the same records unencrypted.
 */

export type OfflineVariant = 'hearth-checkpointed' | 'hearth-written' | 'plain-y-indexeddb';

const DATABASES = { 'hearth-checkpointed': 'bench-offline-checkpointed', 'hearth-written': 'bench-offline-written' } as const;
const KEYRING_VARIANT = { 'hearth-checkpointed': 1, 'hearth-written': 2 } as const;
const PLAIN_DATABASE = 'bench-offline-plain-y-indexeddb';
/** Loaded only when the runner says y-indexeddb is installed; a chunk of its own in the production build. */
const plainModule = () => import('./yIndexeddbBaseline.js');

async function storeChain(variant: keyof typeof DATABASES, packed: string): Promise<number> {
  return storeWriter(await freshStore(DATABASES[variant]), benchKeyring(KEYRING_VARIANT[variant]), packed);
}

export interface OfflinePrepared {
  links: Record<'hearth-checkpointed' | 'hearth-written', number>;
  plainStored: boolean;
}

/** Writes the databases once; each later open runs in a fresh page of the same profile. */
export async function offlinePrepare(options: { chains: { checkpointed: string; written: string }; plainUpdate: string | null }): Promise<OfflinePrepared> {
  const links = {
    'hearth-checkpointed': await storeChain('hearth-checkpointed', options.chains.checkpointed),
    'hearth-written': await storeChain('hearth-written', options.chains.written),
  };
  if (options.plainUpdate) {
    const { storePlain } = await plainModule();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, decodeBase64Url(options.plainUpdate));
    if ((await storePlain(PLAIN_DATABASE, doc)) === 0) throw new Error('y-indexeddb stored nothing');
  }
  return { links, plainStored: options.plainUpdate !== null };
}

export interface OfflineResult {
  variant: OfflineVariant;
  posts: number;
  /** Phases from the start, cumulative, in ms. */
  storeOpenedMs: number | null;
  logOpenedMs: number;
  renderedMs: number;
}

export async function offlineOpen(variant: OfflineVariant): Promise<OfflineResult> {
  const writerId = authorIdOf(identityFromSeed(WRITER_SEED));
  if (variant === 'plain-y-indexeddb') {
    const { loadPlain } = await plainModule();
    const start = now();
    const doc = new Y.Doc();
    const close = await loadPlain(PLAIN_DATABASE, doc);
    const logOpenedMs = now() - start;
    const view = plainView(doc, writerId, writerId);
    const renderedMs = now() - start;
    await close();
    return { variant, posts: view.posts.length, storeOpenedMs: null, logOpenedMs, renderedMs };
  }
  const start = now();
  const store = await freshStore(DATABASES[variant]);
  const device = await store.loadDevice();
  const groups = await store.listGroups();
  if (!device.ok || !device.value || !groups.ok || !groups.value[0]) throw new Error(`${variant}: device or group missing`);
  const group = groups.value[0];
  const storeOpenedMs = now() - start;
  const envelopes = store.envelopes(group.id);
  const log = await GroupLog.open({
    keyring: new GroupKeyring(group.groupId, group.epochs),
    identity: device.value.identity,
    store: envelopes,
    creatorId: group.creatorId,
  });
  if (log.openProblem) throw new Error(`${variant}: ${log.openProblem.code} ${log.openProblem.message}`);
  const logOpenedMs = now() - start;
  const view = hearthView(log, authorIdOf(device.value.identity));
  const renderedMs = now() - start;
  log.destroy();
  await envelopes.close();
  await store.close();
  return { variant, posts: view.posts.length, storeOpenedMs, logOpenedMs, renderedMs };
}
