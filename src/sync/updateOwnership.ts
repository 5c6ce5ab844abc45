import * as Y from 'yjs';
import { authorOfKey } from '../model/index.js';

/**
 * A member may only write records under keys that start with their own author id, and may
 * only delete (overwrite) items held under such keys. Yjs would apply anything a peer sends,
 * so every update envelope is decoded and checked against its signer before it is applied.
 *
 * - `ok`: every insert and delete touches only the signer's own keys in known roots.
 * - `foreign`: it touches another member's key, an unknown root, or a nested type.
 * - `missing`: it refers to items this device does not have yet; retry after more arrive.
 * - `malformed`: the bytes are not a Yjs update.
 */
export type OwnershipResult = 'ok' | 'foreign' | 'missing' | 'malformed';

export interface OwnershipCheck {
  result: OwnershipResult;
  /** With `ok`: the values the update inserts, all under the signer's keys. */
  inserted: unknown[];
}

type Struct = Y.Item | Y.GC | { id: Y.ID; length: number };
type DeleteSet = { clients: Map<number, { clock: number; len: number }[]> };

interface Located {
  root: string | null;
  key: string | null;
}

export function checkUpdateOwnership(
  doc: Y.Doc,
  update: Uint8Array,
  authorId: string,
  roots: readonly string[],
): OwnershipCheck {
  const inserted: unknown[] = [];
  const fail = (result: Exclude<OwnershipResult, 'ok'>): OwnershipCheck => ({ result, inserted: [] });
  let decoded: { structs: Struct[]; ds: DeleteSet };
  try {
    decoded = Y.decodeUpdate(update) as { structs: Struct[]; ds: DeleteSet };
  } catch {
    return fail('malformed');
  }
  const rootTypes = new Map(roots.map((name) => [doc.getMap(name) as Y.AbstractType<unknown>, name]));
  const own = (where: Located): boolean =>
    where.root !== null && roots.includes(where.root) && where.key !== null && authorOfKey(where.key) === authorId;

  const incoming = new Map<number, Y.Item[]>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue;
    const list = incoming.get(struct.id.client) ?? [];
    list.push(struct);
    incoming.set(struct.id.client, list);
  }
  const findIncoming = (id: Y.ID): Y.Item | undefined =>
    incoming.get(id.client)?.find((s) => s.id.clock <= id.clock && id.clock < s.id.clock + s.length);

  const locateInDoc = (id: Y.ID): Located | 'missing' => {
    if (Y.getState(doc.store, id.client) <= id.clock) return 'missing';
    const struct = Y.getItem(doc.store, id) as Y.Item | Y.GC;
    if (!(struct instanceof Y.Item)) return { root: null, key: null };
    return { root: rootTypes.get(struct.parent as Y.AbstractType<unknown>) ?? null, key: struct.parentSub };
  };

  const locate = (item: Y.Item, depth = 0): Located | 'missing' => {
    if (typeof item.parent === 'string') return { root: item.parent, key: item.parentSub };
    if (item.parent !== null || depth > 64) return { root: null, key: null }; // nested types are not part of the schema
    const originId = item.origin ?? item.rightOrigin;
    if (!originId) return { root: null, key: null };
    const inUpdate = findIncoming(originId);
    return inUpdate ? locate(inUpdate, depth + 1) : locateInDoc(originId);
  };

  for (const list of incoming.values()) {
    for (const item of list) {
      const isAny = item.content instanceof Y.ContentAny;
      if (!isAny && !(item.content instanceof Y.ContentDeleted)) return fail('foreign');
      const where = locate(item);
      if (where === 'missing') return fail('missing');
      if (!own(where)) return fail('foreign');
      if (isAny) inserted.push(...(item.content as Y.ContentAny).arr);
    }
  }

  for (const [client, deletes] of decoded.ds.clients) {
    for (const { clock, len } of deletes) {
      const result = checkDeletedRange(doc, client, clock, len, findIncoming, rootTypes, own);
      if (result !== 'ok') return fail(result);
    }
  }
  return { result: 'ok', inserted };
}

/** Walks the items a delete range covers, struct by struct (never clock by clock: ranges may be huge). */
function checkDeletedRange(
  doc: Y.Doc,
  client: number,
  clock: number,
  len: number,
  findIncoming: (id: Y.ID) => Y.Item | undefined,
  rootTypes: Map<Y.AbstractType<unknown>, string>,
  own: (where: Located) => boolean,
): OwnershipResult {
  const end = clock + len;
  let at = clock;
  const docState = Y.getState(doc.store, client);
  while (at < end) {
    const id = Y.createID(client, at);
    let next: number;
    if (at < docState) {
      const struct = Y.getItem(doc.store, id) as Y.Item | Y.GC;
      if (struct instanceof Y.Item) {
        const root = rootTypes.get(struct.parent as Y.AbstractType<unknown>) ?? null;
        if (!own({ root, key: struct.parentSub })) return 'foreign';
      } else if (!struct.deleted) {
        return 'foreign';
      }
      next = struct.id.clock + struct.length;
    } else {
      // Items inserted by this same update were checked for ownership above.
      const item = findIncoming(id);
      if (!item) return 'missing';
      next = item.id.clock + item.length;
    }
    at = Math.max(next, at + 1);
  }
  return 'ok';
}
