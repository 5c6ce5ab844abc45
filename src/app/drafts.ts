import type { NewPost } from '../model/board.js';
import { LIMITS, MILESTONE_UNITS, POST_KINDS, type MilestoneUnit, type PostKind } from '../model/schema.js';
import type { StorePort } from './ports.js';
import type { Draft } from './supportState.js';

/** The draft stored under `key`, or undefined when there is none or it is not one (never throws). */
export async function readDraft(store: Pick<StorePort, 'getSetting'>, key: string): Promise<Draft | undefined> {
  const stored = await store.getSetting(key);
  return stored.ok ? asDraft(stored.value) : undefined;
}

/** A draft is this device's own sealed data, but it is checked like anything read back. */
export function asDraft(value: unknown): Draft | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!(POST_KINDS as readonly unknown[]).includes(v.kind) || typeof v.body !== 'string' || v.body.length > LIMITS.body * 2) return undefined;
  const text = (x: unknown, max: number): string | undefined => (typeof x === 'string' && x.length > 0 && x.length <= max ? x : undefined);
  const contentWarning = text(v.contentWarning, LIMITS.contentWarning * 2);
  const milestoneValue = text(v.milestoneValue, 12);
  const milestoneUnit = (MILESTONE_UNITS as readonly unknown[]).includes(v.milestoneUnit) ? (v.milestoneUnit as MilestoneUnit) : undefined;
  return {
    kind: v.kind as PostKind,
    body: v.body,
    ...(contentWarning ? { contentWarning } : {}),
    ...(milestoneValue ? { milestoneValue } : {}),
    ...(milestoneUnit ? { milestoneUnit } : {}),
  };
}

/** A post that could not be shared, as the draft the composer opens with. */
export function draftOf(post: NewPost): Draft {
  return {
    kind: post.kind,
    body: post.body,
    ...(post.contentWarning ? { contentWarning: post.contentWarning } : {}),
    ...(post.milestone ? { milestoneValue: String(post.milestone.value), milestoneUnit: post.milestone.unit } : {}),
  };
}
