import * as Y from 'yjs';
import { BOARD_ROOTS, CARRIED_ROOT, admitRecord, carriedProblem, isBoardRoot, type AdmissionCode, type BoardRoot, type CarriedProblem } from '../model/index.js';

/**
 * Checks one Yjs update against the document of the author who signed it, before it is
 * applied: it must apply cleanly (nothing left pending), touch only the board's root maps with
 * plain values, and every record it adds must pass the board's rules. Linear in the update's
 * size (lookups in the document are binary searches).
 */

export type UpdateRejection =
  | AdmissionCode
  | CarriedProblem
  | 'malformed-update' // does not decode
  | 'pending-structs' // refers to or continues items this document does not hold
  | 'pending-deletes' // deletes items this document does not hold
  | 'nested-type' // a Yjs type inside a record map, or content other than plain values
  | 'too-many-records';

export type UpdateCheck =
  | { ok: true; latestCreatedAt: number; records: number }
  | { ok: false; code: UpdateRejection }
  | { ok: false; holdUntil: number };

export interface UpdateCheckInput {
  /** The author's own document, as it stands before the update. */
  doc: Y.Doc;
  update: Uint8Array;
  authorId: string;
  creatorId: string | undefined;
  /** The author's latest createdAt so far. */
  notBefore: number;
  now: number;
  /** At most this many new records in one update. */
  maxRecords: number;
}

/** The maps a document may hold: the board's, and the records carried for newcomers (model/carry.ts). */
type Root = BoardRoot | typeof CARRIED_ROOT;
const isRoot = (name: unknown): name is Root => name === CARRIED_ROOT || isBoardRoot(name);

/** Where an item of the update sits: a root map and a key, or nowhere visible (its origin was collected). */
type Place = { root: Root; key: string } | null;

interface Located {
  clock: number;
  length: number;
  place: Place;
}

export function checkUpdate(input: UpdateCheckInput): UpdateCheck {
  const { doc } = input;
  let decoded: { structs: (Y.Item | Y.GC | Y.Skip)[]; ds: { clients: Map<number, { clock: number; len: number }[]> } };
  try {
    decoded = Y.decodeUpdate(input.update) as typeof decoded;
  } catch {
    return { ok: false, code: 'malformed-update' };
  }

  // Pass 1: each client's structs must continue what the document holds, with no gap.
  const ends = new Map<number, number>();
  const located = new Map<number, Located[]>();
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) return { ok: false, code: 'pending-structs' };
    const { client, clock } = struct.id;
    if (!ends.has(client)) {
      if (clock > Y.getState(doc.store, client)) return { ok: false, code: 'pending-structs' };
      located.set(client, []);
    } else if (ends.get(client) !== clock) {
      return { ok: false, code: 'malformed-update' };
    }
    ends.set(client, clock + struct.length);
  }
  const stateAfter = (client: number): number => Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
  const holds = (id: Y.ID): boolean => id.clock < stateAfter(id.client);

  const roots = new Map<unknown, Root>(BOARD_ROOTS.map((name) => [doc.getMap(name), name]));
  // Never getMap() for a root the document lacks: it would add it to the document.
  if (doc.share.has(CARRIED_ROOT)) roots.set(doc.getMap(CARRIED_ROOT), CARRIED_ROOT);
  const placeOf = (id: Y.ID): Place => {
    const inUpdate = located.get(id.client);
    const found = inUpdate && findLocated(inUpdate, id.clock);
    if (found) return found.place;
    const item = Y.getItem(doc.store, id);
    if (!(item instanceof Y.Item)) return null;
    const root = roots.get(item.parent);
    return root && typeof item.parentSub === 'string' ? { root, key: item.parentSub } : null;
  };

  // Pass 2: every new item is a plain value under a key of a root map, and a valid record.
  let latestCreatedAt = input.notBefore;
  let records = 0;
  let holdUntil = 0;
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const { client, clock } = struct.id;
    const held = clock + struct.length <= Y.getState(doc.store, client);
    const content = struct.content;
    const isValue = content instanceof Y.ContentAny && content.arr.length === 1;
    if (!isValue && !(content instanceof Y.ContentDeleted)) return { ok: false, code: 'nested-type' };

    let place: Place;
    if (struct.parent !== null) {
      if (typeof struct.parent !== 'string') return { ok: false, code: 'nested-type' };
      // Checked by name, never by getMap(), which would add the junk root to the document.
      if (!isRoot(struct.parent)) return { ok: false, code: 'unknown-root' };
      if (typeof struct.parentSub !== 'string') return { ok: false, code: 'nested-type' };
      place = { root: struct.parent, key: struct.parentSub };
    } else {
      const ref = struct.origin ?? struct.rightOrigin;
      if (!ref) return { ok: false, code: 'malformed-update' };
      if (!holds(ref)) return { ok: false, code: 'pending-structs' };
      place = placeOf(ref);
    }
    for (const ref of [struct.origin, struct.rightOrigin]) if (ref && !holds(ref)) return { ok: false, code: 'pending-structs' };
    located.get(client)!.push({ clock, length: struct.length, place });

    if (held || !isValue || !place) continue;
    if (++records > input.maxRecords) return { ok: false, code: 'too-many-records' };
    if (place.root === CARRIED_ROOT) {
      // Another author's record, checked against its own signature; it says nothing of this author's dates.
      const problem = carriedProblem(place.key, (content as Y.ContentAny).arr[0], input.authorId);
      if (problem) return { ok: false, code: problem };
      continue;
    }
    const admission = admitRecord(place.root, place.key, (content as Y.ContentAny).arr[0], {
      authorId: input.authorId,
      creatorId: input.creatorId,
      notBefore: input.notBefore,
      now: input.now,
    });
    if ('code' in admission) return { ok: false, code: admission.code };
    if ('holdUntil' in admission) holdUntil = Math.max(holdUntil, admission.holdUntil);
    else latestCreatedAt = Math.max(latestCreatedAt, admission.createdAt);
  }

  for (const [client, deletes] of decoded.ds.clients) {
    for (const { clock, len } of deletes) if (clock + len > stateAfter(client)) return { ok: false, code: 'pending-deletes' };
  }
  if (holdUntil > 0) return { ok: false, holdUntil };
  return { ok: true, latestCreatedAt, records };
}

/** The located struct that holds `clock` (structs of one client are in clock order). */
function findLocated(list: Located[], clock: number): Located | undefined {
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const entry = list[mid]!;
    if (clock < entry.clock) high = mid - 1;
    else if (clock >= entry.clock + entry.length) low = mid + 1;
    else return entry;
  }
  return undefined;
}
