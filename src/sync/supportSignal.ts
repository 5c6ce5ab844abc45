import { toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import type { EnvelopeCounter } from '../log/counter.js';
import type { GroupKeyring } from '../log/keyring.js';
import { parseSignal, type SignalProblem, type SupportSignal } from '../model/supportSignal.js';
import { openAwarenessField, sealAwarenessField, type PresenceError } from './presence.js';

/**
 * The support signal on the wire (PROTOCOL.md §Support signal): the `support` field of a
 * device's y-webrtc awareness state, beside its presence, as base64url of a presence-kind
 * envelope (format v2, seq from the device's presence counter, prev zeros) under the epoch's
 * presence key, whose plaintext is the UTF-8 JSON of a SupportSignal (src/model/supportSignal.ts).
 *
 * Why awareness and not the envelope log: an alert is for the members whose app is open now.
 * Awareness reaches exactly them, at once, is kept in memory only, and is dropped by every
 * device when the sender withdraws it or leaves (y-webrtc times a state out after 30 s);
 * a log envelope would be stored by every member's device for good.
 */
const MAX_SEALED_LENGTH = 24 * 1024;

export type SignalError = PresenceError | SignalProblem;
export type OpenedSignal = { ok: true; signal: SupportSignal } | { ok: false; error: SignalError };

export interface SealSignalInput {
  keyring: GroupKeyring;
  identity: Pick<DeviceIdentity, 'signPublicKey' | 'signSecretKey'>;
  counter: EnvelopeCounter;
  signal: SupportSignal;
}

export function sealSignal(input: SealSignalInput): string {
  return sealAwarenessField(input, input.signal);
}

/** Opens the `support` field of a remote awareness state; anything else is an error value. */
export function openSignal(state: unknown, keyring: GroupKeyring, now: number): OpenedSignal {
  const opened = openAwarenessField((state as { support?: unknown } | null)?.support, keyring, MAX_SEALED_LENGTH);
  if (!opened.ok) return opened;
  const parsed = parseSignal(opened.content, { authorId: toBase64Url(opened.authorKey), now });
  return parsed.ok ? parsed : { ok: false, error: parsed.code };
}

/** The signals of the other devices in the session, one per author (the last one read wins). */
export function openSignals(states: Iterable<unknown>, keyring: GroupKeyring, viewerId: string, now: number): SupportSignal[] {
  const byAuthor = new Map<string, SupportSignal>();
  for (const state of states) {
    const opened = openSignal(state, keyring, now);
    if (opened.ok && opened.signal.authorId !== viewerId) byAuthor.set(opened.signal.authorId, opened.signal);
  }
  return [...byAuthor.values()].sort((a, b) => (a.authorId < b.authorId ? -1 : 1));
}
