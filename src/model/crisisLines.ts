import { randomBytes, toBase64Url } from '../../crypto/index.js';
import { facilitatorsOf } from './admission.js';
import { authorIdOf, writeRecord, type WriteContext, type WriteResult } from './board.js';
import type { CrisisLineRecord } from './records.js';

/**
 * The group's own crisis lines (record type `crisis-line`, root `crisisLines`, PROTOCOL.md §3).
 * Only facilitators write them: the writer refuses what every receiver would refuse.
 */

export interface NewCrisisLine {
  name: string;
  phone: string;
  note?: string;
}

type LineContext = WriteContext & { facilitators?: ReadonlySet<string> };

export function addCrisisLine(context: LineContext, line: NewCrisisLine): WriteResult<CrisisLineRecord> {
  return writeLine(context, `line-${toBase64Url(randomBytes(12))}`, line, true);
}

/** Lines are never deleted: removing one writes it again, inactive. */
export function removeCrisisLine(context: LineContext, line: CrisisLineRecord): WriteResult<CrisisLineRecord> {
  const suffix = line.id.slice(line.id.indexOf('/') + 1);
  return writeLine(context, suffix, { name: line.name, phone: line.phone, ...(line.note ? { note: line.note } : {}) }, false);
}

function writeLine(context: LineContext, suffix: string, line: NewCrisisLine, active: boolean): WriteResult<CrisisLineRecord> {
  if (!facilitatorsOf(context).has(authorIdOf(context.author))) return { ok: false, problem: 'not-facilitator' };
  return writeRecord<CrisisLineRecord>('crisisLines', context, 'crisis-line', suffix, {
    name: line.name,
    phone: line.phone,
    ...(line.note ? { note: line.note } : {}),
    active,
  });
}
