import { randomBytes, toBase64Url } from '../../crypto/index.js';
import { ALERT_LIFETIME_MS, SIGNAL_LIMITS, type AlertAnswer, type SupportAlert, type SupportSignal } from '../model/supportSignal.js';
import type { SessionPort } from './ports.js';
import type { IncomingAlert, SupportScreen } from './supportState.js';

/**
 * This device's side of "I'm struggling" in one open group: its own alert while it is out, its
 * answers to others' alerts, and the view of both. Everything lives in memory and in the live
 * session's awareness (src/sync/supportSignal.ts); nothing here is stored.
 *
 * An arriving alert is answered "received" at once, so its sender sees who got it, unless this
 * device hides itself from "Here now": then it answers only when the person does.
 */
export class SupportNow {
  private alert: SupportAlert | undefined;
  private answers: AlertAnswer[] = [];
  private acknowledge = true;

  constructor(
    private readonly session: SessionPort,
    private readonly viewerId: string,
    private readonly now: () => number,
  ) {}

  /** Sends "I'm struggling" (again, replacing an earlier one) to the members here now. */
  raise(note?: string): void {
    const trimmed = note?.trim().slice(0, SIGNAL_LIMITS.note);
    this.alert = { id: toBase64Url(randomBytes(12)), sentAt: this.now(), ...(trimmed ? { note: trimmed } : {}) };
    this.publish();
  }

  /** "I'm OK now": the alert disappears from every device. */
  withdraw(): void {
    this.alert = undefined;
    this.publish();
  }

  answer(to: string, alertId: string, kind: 'reply' | 'calling', body?: string): void {
    const text = body?.trim().slice(0, SIGNAL_LIMITS.answer);
    this.add({ to, alertId, kind, sentAt: this.now(), ...(text ? { body: text } : {}) });
    this.publish();
  }

  setAcknowledge(acknowledge: boolean): void {
    this.acknowledge = acknowledge;
    if (acknowledge) this.onSignals();
  }

  /** Called when the session's signals change: acknowledges new alerts, forgets answers to gone ones. */
  onSignals(): void {
    const live = new Set(this.incomingAlerts().map(({ authorId, alert }) => `${authorId}/${alert.id}`));
    const kept = this.answers.filter((answer) => live.has(`${answer.to}/${answer.alertId}`));
    let changed = kept.length !== this.answers.length;
    this.answers = kept;
    if (this.acknowledge) {
      for (const { authorId, alert } of this.incomingAlerts()) {
        if (this.answers.some((a) => a.to === authorId && a.alertId === alert.id)) continue;
        this.add({ to: authorId, alertId: alert.id, kind: 'seen', sentAt: this.now() });
        changed = true;
      }
    }
    if (changed) this.publish();
  }

  view(nameOf: (authorId: string) => string): Omit<SupportScreen, 'groupLines' | 'canEditLines' | 'contacts'> {
    const signals = this.session.supportSignals;
    const incoming: IncomingAlert[] = this.incomingAlerts().map(({ authorId, alert }) => ({
      authorId,
      name: nameOf(authorId),
      alertId: alert.id,
      sentAt: alert.sentAt,
      ...(alert.note ? { note: alert.note } : {}),
      answered: [...new Set(this.answers.filter((a) => a.to === authorId && a.alertId === alert.id && a.kind !== 'seen').map((a) => a.kind))],
    }));
    const mine = this.alert;
    if (!mine) return { incoming };
    const toMine = signals.flatMap((signal) =>
      signal.answers.filter((a) => a.to === this.viewerId && a.alertId === mine.id).map((answer) => ({ authorId: signal.authorId, answer })),
    );
    return {
      incoming,
      mine: {
        sentAt: mine.sentAt,
        ...(mine.note ? { note: mine.note } : {}),
        receivedBy: [...new Set(toMine.map(({ authorId }) => authorId))].map(nameOf),
        answers: toMine.flatMap(({ authorId, answer }) =>
          answer.kind === 'seen'
            ? []
            : [{ name: nameOf(authorId), kind: answer.kind, sentAt: answer.sentAt, ...(answer.body ? { body: answer.body } : {}) }],
        ),
      },
    };
  }

  private incomingAlerts(): { authorId: string; alert: SupportAlert }[] {
    const now = this.now();
    return this.session.supportSignals.flatMap((signal) =>
      signal.alert && signal.alert.sentAt > now - ALERT_LIFETIME_MS ? [{ authorId: signal.authorId, alert: signal.alert }] : [],
    );
  }

  /** Keeps the newest answers within the signal's limit. */
  private add(answer: AlertAnswer): void {
    this.answers = [...this.answers, answer].slice(-SIGNAL_LIMITS.answers);
  }

  private publish(): void {
    if (this.alert && this.alert.sentAt <= this.now() - ALERT_LIFETIME_MS) this.alert = undefined;
    const signal: SupportSignal = {
      v: 1,
      type: 'support',
      authorId: this.viewerId,
      ...(this.alert ? { alert: this.alert } : {}),
      answers: this.answers,
    };
    this.session.setSupportSignal(this.alert || this.answers.length ? signal : null);
  }
}
