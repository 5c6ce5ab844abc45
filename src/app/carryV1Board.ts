import type { GroupLog } from '../log/groupLog.js';
import type { GroupKeyring } from '../log/keyring.js';
import { readV1Board, type V1Board } from '../log/legacy/readV1Board.js';
import { ROOT_OF_TYPE, parseRecord, type BoardRecord } from '../model/index.js';
import type { GroupRecord, Result, StorePort } from './ports.js';

/** Settings key: records of other members carried over from this group's v1 board (shown, never sent). */
export const legacyKey = (groupId: string): string => `legacy:${groupId}`;

/** Records per envelope when republishing: under the log's per-update cap. */
const REPUBLISH_BATCH = 200;

/** Reads a v1 group's stored board, if it has one to carry over. */
export async function readStoredV1Board(record: GroupRecord, store: StorePort, keyring: GroupKeyring): Promise<Result<V1Board | undefined>> {
  if (record.logVersion !== 1) return { ok: true, value: undefined };
  const stored = await store.loadLegacyLog(record.id);
  if (!stored.ok) return stored;
  return { ok: true, value: stored.value ? readV1Board(stored.value, keyring) : { records: [], creatorId: undefined } };
}

/**
 * Carries a v1 board into v2 on this device (docs/PROTOCOL.md §11). This device's own records
 * are republished, signatures and dates unchanged, as the first links of its own chain, oldest
 * first, so every member's device accepts them. Other members' records cannot be signed into
 * their chains: they are kept on this device, sealed, and shown until their authors'
 * devices republish them. Only then is the v1 log deleted, so a crash midway starts over safely.
 */
export async function carryV1Board(input: {
  record: GroupRecord;
  board: V1Board;
  creatorId: string | undefined;
  store: StorePort;
  log: GroupLog;
}): Promise<Result<GroupRecord>> {
  const { record, board, store, log } = input;
  const own = board.records
    .filter((r) => r.authorId === log.ownId && (r.type !== 'group-info' || r.authorId === input.creatorId))
    .sort((a, b) => a.createdAt - b.createdAt);
  for (let start = 0; start < own.length; start += REPUBLISH_BATCH) {
    const batch = own.slice(start, start + REPUBLISH_BATCH);
    const written = await log.write((context) => {
      let createdAt = 0;
      for (const r of batch) {
        const map = context.doc.getMap(ROOT_OF_TYPE[r.type]);
        if (!map.has(r.id)) map.set(r.id, r);
        createdAt = Math.max(createdAt, r.createdAt);
      }
      return { ok: true, record: { createdAt } };
    });
    if (!written.ok) return { ok: false, error: { code: 'failed', message: 'message' in written ? written.message : written.problem } };
  }
  const others = board.records.filter((r) => r.authorId !== log.ownId);
  const kept = await store.setSetting(legacyKey(record.id), others);
  if (!kept.ok) return kept;
  const carried: GroupRecord = { ...record, logVersion: 2, ...(input.creatorId ? { creatorId: input.creatorId } : {}) };
  const saved = await store.saveGroup(carried);
  if (!saved.ok) return saved;
  const deleted = await store.deleteLegacyLog(record.id);
  if (!deleted.ok) return deleted;
  return { ok: true, value: carried };
}

/** Records kept from a v1 board, checked again on the way in: the setting is sealed, but cheap to re-parse. */
export async function loadLegacyRecords(groupId: string, store: StorePort): Promise<BoardRecord[]> {
  const stored = await store.getSetting(legacyKey(groupId));
  if (!stored.ok || !Array.isArray(stored.value)) return [];
  return stored.value.flatMap((value: unknown) => {
    const type = (value as { type?: unknown } | null)?.type;
    const root = typeof type === 'string' ? ROOT_OF_TYPE[type as BoardRecord['type']] : undefined;
    const id = (value as { id?: unknown } | null)?.id;
    const record = root && typeof id === 'string' ? parseRecord(root, id, value) : null;
    return record ? [record] : [];
  });
}
