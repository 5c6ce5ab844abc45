import { fromBase64Url, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import type { EnvelopeCounter } from '../log/counter.js';
import { NO_PREVIOUS, openEnvelope, sealEnvelope } from '../log/envelope.js';
import type { GroupKeyring } from '../log/keyring.js';

/**
 * Presence format version 1 (docs/PROTOCOL.md §Presence). The y-webrtc awareness state of a
 * device is exactly `{ "sealed": <base64url envelope> }`: a kind-3 (presence) envelope (format
 * v2; its seq is the device's clock-seeded counter, its prev zeros) under the epoch's presence key, whose plaintext is the UTF-8 JSON `{ "v": 1, "displayName": string, "since": number }`
 * (`since`: ms since the epoch when this device joined the meeting). Nothing else is readable.
 */
export const PRESENCE_VERSION = 1;
export const MAX_DISPLAY_NAME_LENGTH = 64;
/** A sealed presence blob is ~200 bytes; anything much longer is not ours and is not decoded. */
const MAX_SEALED_LENGTH = 2048;

export interface PresentMember {
  /** base64url of the member's signing key: the same id the board's records carry. */
  authorId: string;
  displayName: string;
  since: number;
}

export type PresenceError = 'not-sealed' | 'bad-encoding' | 'bad-envelope' | 'bad-content';

/** `counter` is the envelope's per-author counter: the larger, the more recently sealed. */
export type PresenceResult =
  | { ok: true; member: PresentMember; counter: number }
  | { ok: false; error: PresenceError };

export interface SealPresenceInput {
  keyring: GroupKeyring;
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'>;
  counter: EnvelopeCounter;
  displayName: string;
  since: number;
}

/**
 * Seals `content` as JSON in a presence-kind envelope (the next counter value, no previous link)
 * under the epoch's presence key: what every field of a device's awareness state carries.
 */
export function sealAwarenessField(input: Omit<SealPresenceInput, 'displayName' | 'since'>, content: unknown): string {
  const epoch = input.keyring.currentEpoch;
  const envelope = sealEnvelope({
    kind: 'presence',
    groupId: input.keyring.groupId,
    epoch,
    seq: input.counter.next(),
    prev: NO_PREVIOUS,
    authorKey: input.identity.signPublicKey,
    authorSecretKey: input.identity.signSecretKey,
    key: input.keyring.keyFor(epoch, 'presence')!,
    plaintext: new TextEncoder().encode(JSON.stringify(content)),
  });
  return toBase64Url(envelope);
}

export type AwarenessFieldResult =
  | { ok: true; content: unknown; authorKey: Uint8Array; counter: number }
  | { ok: false; error: PresenceError };

/** Opens one sealed awareness field (at most `maxLength` characters) to its JSON content and signer. */
export function openAwarenessField(sealed: unknown, keyring: GroupKeyring, maxLength: number): AwarenessFieldResult {
  if (typeof sealed !== 'string' || sealed.length > maxLength) return { ok: false, error: 'not-sealed' };
  const bytes = fromBase64Url(sealed);
  if (!bytes.ok) return { ok: false, error: 'bad-encoding' };
  const opened = openEnvelope(bytes.bytes, {
    groupId: keyring.groupId,
    keyFor: (epoch, kind) => keyring.keyFor(epoch, kind),
  });
  if (!opened.ok || opened.envelope.header.kind !== 'presence') return { ok: false, error: 'bad-envelope' };
  try {
    const content: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(opened.envelope.plaintext));
    return { ok: true, content, authorKey: opened.envelope.header.authorKey, counter: opened.envelope.header.seq };
  } catch {
    return { ok: false, error: 'bad-content' };
  }
}

/** The awareness state this device publishes. */
export function sealPresence(input: SealPresenceInput): { sealed: string } {
  const content = { v: PRESENCE_VERSION, displayName: input.displayName.slice(0, MAX_DISPLAY_NAME_LENGTH), since: input.since };
  return { sealed: sealAwarenessField(input, content) };
}

/** Opens a remote awareness state; anything that is not a valid sealed presence is an error value. */
export function openPresence(state: unknown, keyring: GroupKeyring): PresenceResult {
  const opened = openAwarenessField((state as { sealed?: unknown } | null)?.sealed, keyring, MAX_SEALED_LENGTH);
  if (!opened.ok) return opened;
  const { v, displayName, since } = (opened.content ?? {}) as Record<string, unknown>;
  if (
    v !== PRESENCE_VERSION ||
    typeof displayName !== 'string' ||
    displayName.length > MAX_DISPLAY_NAME_LENGTH ||
    typeof since !== 'number' ||
    !Number.isFinite(since)
  ) {
    return { ok: false, error: 'bad-content' };
  }
  return { ok: true, member: { authorId: toBase64Url(opened.authorKey), displayName, since }, counter: opened.counter };
}

/**
 * One entry per author (a state may linger a while after its device reconnected under a new
 * awareness id): the most recently sealed name, the earliest `since`. Ordered by `since`.
 * States that do not open are skipped, and so is `viewerAuthorId`: "here now" lists the others.
 */
export function presentMembers(states: Iterable<unknown>, keyring: GroupKeyring, viewerAuthorId?: string): PresentMember[] {
  const byAuthor = new Map<string, { member: PresentMember; counter: number }>();
  for (const state of states) {
    const result = openPresence(state, keyring);
    if (!result.ok || result.member.authorId === viewerAuthorId) continue;
    const known = byAuthor.get(result.member.authorId);
    if (!known) {
      byAuthor.set(result.member.authorId, { member: result.member, counter: result.counter });
      continue;
    }
    const newer = result.counter > known.counter;
    byAuthor.set(result.member.authorId, {
      member: {
        authorId: result.member.authorId,
        displayName: newer ? result.member.displayName : known.member.displayName,
        since: Math.min(result.member.since, known.member.since),
      },
      counter: Math.max(result.counter, known.counter),
    });
  }
  return [...byAuthor.values()]
    .map(({ member }) => member)
    .sort((a, b) => a.since - b.since || a.authorId.localeCompare(b.authorId));
}
