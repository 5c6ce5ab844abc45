import { isNonEmptyText, isOneOf, isRecordId, type Fields } from './checks.js';

/**
 * The coping shelf: techniques members found helpful, and "this helped me too" marks (one per
 * member and technique, withdrawn with `active: false`, like reactions). Format in
 * docs/PROTOCOL.md §3.5.
 */

export const TECHNIQUE_CATEGORIES = ['craving', 'stress', 'sleep', 'people', 'other'] as const;
export type TechniqueCategory = (typeof TECHNIQUE_CATEGORIES)[number];
export const TECHNIQUE_LIMITS = { title: 80, body: 1_000 } as const;

export interface TechniqueRecord {
  v: 1;
  type: 'technique';
  id: string;
  authorId: string;
  createdAt: number;
  title: string;
  body: string;
  category: TechniqueCategory;
  sig: string;
}

export interface HelpedRecord {
  v: 1;
  type: 'helped';
  id: string;
  authorId: string;
  createdAt: number;
  techniqueId: string;
  active: boolean;
  sig: string;
}

export type TechniqueProblem = 'bad-title' | 'empty-body' | 'body-too-long' | 'bad-category' | 'bad-technique-id' | 'bad-key';

export function checkTechnique(_key: string, v: Fields): TechniqueProblem | undefined {
  if (!isNonEmptyText(v.title, TECHNIQUE_LIMITS.title)) return 'bad-title';
  if (!isNonEmptyText(v.body, Infinity)) return 'empty-body';
  if ((v.body as string).length > TECHNIQUE_LIMITS.body) return 'body-too-long';
  return isOneOf(v.category, TECHNIQUE_CATEGORIES) ? undefined : 'bad-category';
}

export const helpedSuffix = (techniqueId: string): string => `${techniqueId}|helped`;

export function checkHelped(key: string, v: Fields): TechniqueProblem | undefined {
  if (!isRecordId(v.techniqueId) || typeof v.active !== 'boolean') return 'bad-technique-id';
  // One mark per member and technique: the key is fixed by its content.
  return key === `${v.authorId}/${helpedSuffix(v.techniqueId)}` ? undefined : 'bad-key';
}

export interface TechniqueView {
  record: TechniqueRecord;
  /** Members other than its author who marked it "this helped me too". */
  helped: number;
  /** The viewer's own mark is active. */
  mine: boolean;
}

/** The shelf: most-helped first, then newest. */
export function shelfView(techniques: readonly TechniqueRecord[], marks: readonly HelpedRecord[], viewerId: string | undefined): TechniqueView[] {
  const views = new Map(techniques.map((record) => [record.id, { record, helped: 0, mine: false }]));
  for (const mark of marks) {
    const view = views.get(mark.techniqueId);
    if (!view || !mark.active || mark.authorId === view.record.authorId) continue;
    view.helped++;
    if (mark.authorId === viewerId) view.mine = true;
  }
  return [...views.values()].sort((a, b) => b.helped - a.helped || b.record.createdAt - a.record.createdAt || (a.record.id < b.record.id ? -1 : 1));
}
