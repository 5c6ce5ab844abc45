import { fromBase64Url, ready, toBase64Url } from '../../crypto/index.js';
import { EnvelopeCounter } from '../../src/log/counter.js';
import { ALERT_LIFETIME_MS, SIGNAL_FUTURE_TOLERANCE_MS, signalProblem, type SupportSignal } from '../../src/model/supportSignal.js';
import { openSignal, openSignals, sealSignal } from '../../src/sync/supportSignal.js';
import { sealPresence } from '../../src/sync/presence.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { identityFromSeed, keyring } from '../fixtures/group.js';

const NOW = 1_800_000_000_000;
const idOf = (seed: number): string => toBase64Url(identityFromSeed(seed).signPublicKey);

function signal(seed: number, fields: Partial<SupportSignal> = {}): SupportSignal {
  return { v: 1, type: 'support', authorId: idOf(seed), alert: { id: 'A'.repeat(16), sentAt: NOW, note: 'Rough night.' }, answers: [], ...fields };
}

const seal = (seed: number, content: unknown, ring = keyring()) =>
  sealSignal({ keyring: ring, identity: identityFromSeed(seed), counter: new EnvelopeCounter(), signal: content as SupportSignal });

describe('the support signal ("I\'m struggling" and its answers)', () => {
  before(async () => {
    await ready();
  });

  it('travels sealed: nothing in the awareness field is readable', () => {
    const sealed = seal(1, signal(1));
    const bytes = fromBase64Url(sealed);
    assert(bytes.ok);
    assert(!new TextDecoder().decode(bytes.bytes).includes('Rough'), 'the note is visible');
  });

  it('opens to its author, alert and answers for a member of the group', () => {
    const opened = openSignal({ support: seal(1, signal(1)) }, keyring(), NOW);
    assertDeepEqual(opened, { ok: true, signal: signal(1) });
  });

  it('drops a signal sealed under another group secret, or not sealed at all', () => {
    const other = keyring(new Uint8Array(32).fill(9));
    assertDeepEqual(openSignal({ support: seal(1, signal(1), other) }, keyring(), NOW), { ok: false, error: 'bad-envelope' });
    assertDeepEqual(openSignal({ support: 'x'.repeat(30_000) }, keyring(), NOW), { ok: false, error: 'not-sealed' });
    assertDeepEqual(openSignal({ support: '!!!' }, keyring(), NOW), { ok: false, error: 'bad-encoding' });
    assertDeepEqual(openSignal({ sealed: 'presence only' }, keyring(), NOW), { ok: false, error: 'not-sealed' });
  });

  it("rejects an alert sealed by one member in another's name, with not-author", () => {
    assertDeepEqual(openSignal({ support: seal(66, signal(1)) }, keyring(), NOW), { ok: false, error: 'not-author' });
  });

  it('rejects a presence blob replayed as a signal', () => {
    const presence = sealPresence({ keyring: keyring(), identity: identityFromSeed(1), counter: new EnvelopeCounter(), displayName: 'Robin', since: NOW });
    assertDeepEqual(openSignal({ support: presence.sealed }, keyring(), NOW), { ok: false, error: 'bad-version' });
  });

  it('rejects over-long, far-future, stale and malformed content, each with its code', () => {
    const context = { authorId: idOf(1), now: NOW };
    const alert = (fields: Record<string, unknown>) => signalProblem({ ...signal(1), alert: { id: 'A'.repeat(16), sentAt: NOW, ...fields } }, context);
    assertEqual(alert({}), undefined);
    assertEqual(alert({ note: 'n'.repeat(281) }), 'note-too-long');
    assertEqual(alert({ sentAt: NOW + SIGNAL_FUTURE_TOLERANCE_MS + 1 }), 'future');
    assertEqual(alert({ sentAt: NOW + 365 * 24 * 3600_000 }), 'future');
    assertEqual(alert({ sentAt: NOW - ALERT_LIFETIME_MS - 1 }), 'expired');
    assertEqual(alert({ id: 'short' }), 'bad-alert');
    assertEqual(alert({ note: 42 }), 'bad-alert');
    const answer = (fields: Record<string, unknown>) =>
      signalProblem({ ...signal(1), alert: undefined, answers: [{ to: idOf(2), alertId: 'B'.repeat(16), kind: 'reply', body: 'Here.', sentAt: NOW, ...fields }] }, context);
    assertEqual(answer({}), undefined);
    assertEqual(answer({ body: 'b'.repeat(501) }), 'answer-too-long');
    assertEqual(answer({ body: undefined }), 'bad-answer');
    assertEqual(answer({ kind: 'delete-everything' }), 'bad-answer');
    assertEqual(answer({ sentAt: NOW + 3600_000 }), 'future');
    const many = Array.from({ length: 33 }, () => ({ to: idOf(2), alertId: 'B'.repeat(16), kind: 'seen', sentAt: NOW }));
    assertEqual(signalProblem({ ...signal(1), answers: many }, context), 'too-many-answers');
    assertEqual(signalProblem({ ...signal(1), v: 2 }, context), 'bad-version');
    assertEqual(signalProblem([], context), 'not-an-object');
  });

  it('lists the other devices’ signals, one per author, never my own', () => {
    const states = [{ support: seal(1, signal(1)) }, { support: seal(2, signal(2)) }, { support: seal(3, signal(3, { alert: { id: 'C'.repeat(16), sentAt: NOW + 999 * 3600_000 } })) }];
    assertDeepEqual(
      openSignals(states, keyring(), idOf(2), NOW).map((s) => s.authorId),
      [idOf(1)],
    );
  });
});
