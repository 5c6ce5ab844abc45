import * as Y from 'yjs';
import { BOARD_ROOTS, parseRecord, verifyRecord, type BoardRecord, type GroupInfoRecord } from '../../model/index.js';
import type { GroupKeyring } from '../keyring.js';
import { openEnvelopeV1 } from './envelopeV1.js';

/** What a v1 board held that can still be trusted: records whose author's signature checks. */
export interface V1Board {
  records: BoardRecord[];
  /** The author of the earliest signed group details: v1 showed theirs, so v2 keeps them as creator. */
  creatorId: string | undefined;
}

/**
 * Reads a group's stored v1 ciphertext log (one merged Yjs update of the log doc, whose array
 * `envelopes` holds `{ e: envelope }` entries). Every envelope that opens is applied to a scratch
 * board; what the v1 checks would have refused does not matter here, because only records whose
 * own Ed25519 signature matches are kept. Never throws: unreadable parts are skipped.
 */
export function readV1Board(logUpdate: Uint8Array, keyring: GroupKeyring): V1Board {
  const logDoc = new Y.Doc();
  const board = new Y.Doc();
  try {
    Y.applyUpdate(logDoc, logUpdate);
    for (const entry of logDoc.getArray<unknown>('envelopes').toArray()) {
      const bytes = (entry as { e?: unknown } | null)?.e;
      if (!(bytes instanceof Uint8Array)) continue;
      const opened = openEnvelopeV1(bytes, { groupId: keyring.groupId, keyFor: (epoch, kind) => keyring.keyFor(epoch, kind) });
      if (!opened || opened.kind === 'presence') continue;
      try {
        Y.applyUpdate(board, opened.plaintext);
      } catch {
        // A malformed update changed nothing worth keeping.
      }
    }
  } catch {
    // An unreadable log leaves what was read so far.
  }
  const records: BoardRecord[] = [];
  for (const root of BOARD_ROOTS) {
    board.getMap(root).forEach((value, key) => {
      const record = parseRecord(root, key, value);
      if (record && verifyRecord(record)) records.push(record);
    });
  }
  logDoc.destroy();
  board.destroy();
  const earliestInfo = records
    .filter((r): r is GroupInfoRecord => r.type === 'group-info')
    .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))[0];
  return { records, creatorId: earliestInfo?.authorId };
}
