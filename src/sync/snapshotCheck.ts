import * as Y from 'yjs';
import { Board, BOARD_ROOTS, PARSERS } from '../model/index.js';

/**
 * A snapshot is a whole board state signed by one member, so its items cannot be checked
 * against that signer the way an update's can. Instead the state it would produce is
 * checked: it may add entries, and may replace an entry only with another one signed by
 * that entry's author; it may not remove an entry this device holds. False means the
 * snapshot would lose or forge data.
 */
export function snapshotKeepsBoard(board: Y.Doc, snapshot: Uint8Array): boolean {
  // An empty board (a newcomer, or opening from storage) has nothing a snapshot could remove.
  if (board.store.clients.size === 0) return true;
  const trial = new Y.Doc();
  try {
    Y.applyUpdate(trial, Y.encodeStateAsUpdate(board));
    Y.applyUpdate(trial, snapshot);
    const trialBoard = new Board(trial);
    for (const root of BOARD_ROOTS) {
      const parse = PARSERS[root]!;
      const after = trial.getMap(root);
      for (const [key, held] of board.getMap(root).entries()) {
        if (!after.has(key)) return false;
        const heldRecord = parse(key, held);
        if (!heldRecord) continue; // it replaces something that was never a valid entry
        const nextRecord = parse(key, after.get(key));
        if (!nextRecord) return false;
        // parse() already ties the key to the record's author; the signature ties the content.
        if (nextRecord.sig !== heldRecord.sig && !trialBoard.isVerified(nextRecord)) return false;
      }
    }
    return true;
  } catch {
    return false;
  } finally {
    trial.destroy();
  }
}
