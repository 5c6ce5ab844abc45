import { randomBytes, toBase64Url } from '../../crypto/index.js';
import {
  CHECKIN_NOTE_MAX,
  SCHEDULE_LIMITS,
  TECHNIQUE_LIMITS,
  addTechnique,
  addPost,
  dayStart,
  localDay,
  type Mood,
  nextMeeting,
  setMeetingSlot,
  shareCheckin,
  toggleHelped,
  weekView,
  writeAgenda,
} from '../model/index.js';
import type { GroupRuntime } from './groupRuntime.js';
import { loadPersonal, privateEntries, recoveryView, resetRecovery, withCheckin, PRIVATE_CHECKINS_KEY, RECOVERY_KEY, type PersonalData } from './personal.js';
import type { StorePort } from './ports.js';
import type { WeekIntent, WeekScreen } from './weekState.js';

export interface WeekDeps {
  store(): StorePort | undefined;
  runtime(): GroupRuntime | undefined;
  now(): number;
  /** Tells the person something in plain words. */
  notice(kind: 'error' | 'info', message: string): void;
}

export const WEEK_NOTICES = {
  noGroup: 'Please open a group first.',
  tooLong: 'That is longer than Hearth can keep. Please shorten it a little.',
  empty: 'Please fill in the title and a few lines.',
  badStart: 'Please choose a start date that is today or earlier.',
  badSlot: 'Please choose a day, a time, a time zone and a place (or "online").',
  notFacilitator: 'Only a facilitator can change the schedule or run the meeting.',
  notYourTurn: 'It is not your turn right now.',
  savedPrivately: 'Check-in kept on this device only.',
  shared: 'Check-in shared with the group.',
  failed: 'Hearth could not save that. Please try again.',
} as const;

/**
 * The week between meetings for the app controller: check-ins (shared ones as records,
 * private ones in this device's sealed settings), recovery days (device only), the schedule,
 * meeting mode and the coping shelf. The creator is the one facilitator until roles exist.
 */
export class WeekActions {
  private personal: PersonalData = { checkins: [], recovery: undefined };

  constructor(private readonly deps: WeekDeps) {}

  /** Reads this device's own data once storage is open. */
  async load(): Promise<void> {
    const store = this.deps.store();
    if (store) this.personal = await loadPersonal(store);
  }

  /** Locked or wiped: nothing personal stays in memory. */
  forget(): void {
    this.personal = { checkins: [], recovery: undefined };
  }

  static facilitatorsOf(runtime: GroupRuntime): ReadonlySet<string> {
    return runtime.facilitators;
  }

  screen(runtime: GroupRuntime): WeekScreen {
    const now = this.deps.now();
    const today = localDay(now);
    const facilitators = WeekActions.facilitatorsOf(runtime);
    const view = weekView(runtime.records, { viewerId: runtime.viewerId, facilitators, now, today });
    const next = nextMeeting(view.slots, now);
    const recovery = this.personal.recovery;
    return {
      today,
      now,
      checkins: view.today,
      mine: [
        ...view.mine.map((entry) => ({ ...entry, private: false })),
        ...privateEntries(this.personal.checkins, runtime.viewerId).map((entry) => ({ ...entry, private: true })),
      ].sort((a, b) => a.createdAt - b.createdAt),
      slots: view.slots,
      ...(next ? { next } : {}),
      ...(view.meeting ? { meeting: view.meeting } : {}),
      shelf: view.shelf,
      facilitator: facilitators.has(runtime.viewerId),
      ...(recovery ? { recovery: recoveryView(recovery, today) } : {}),
    };
  }

  async handle(intent: WeekIntent): Promise<void> {
    switch (intent.type) {
      case 'check-in':
        return this.checkIn(intent.mood, intent.note?.trim() || undefined, intent.share);
      case 'set-recovery-start': {
        const today = localDay(this.deps.now());
        if (Number.isNaN(dayStart(intent.day)) || intent.day > today) return this.deps.notice('error', WEEK_NOTICES.badStart);
        return this.saveRecovery({ start: intent.day, earlierDays: 0, settled: [] });
      }
      case 'reset-recovery':
        if (!this.personal.recovery) return;
        return this.saveRecovery(resetRecovery(this.personal.recovery, localDay(this.deps.now())));
      case 'share-milestone': {
        const words = intent.words?.trim();
        const body = words || `${intent.days.toLocaleString('en')} ${intent.days === 1 ? 'day' : 'days'}.`;
        const shared = await this.edit((runtime) => runtime.edit((c) => addPost(c, { kind: 'victory', body, milestone: { value: intent.days, unit: 'days' } })));
        if (shared) await this.settleMilestone(intent.days);
        return;
      }
      case 'dismiss-milestone':
        return this.settleMilestone(intent.days);
      case 'set-meeting-slot': {
        const { slot } = intent;
        const note = slot.note?.trim();
        if (slot.place.trim().length > SCHEDULE_LIMITS.place || (note?.length ?? 0) > SCHEDULE_LIMITS.note) return this.deps.notice('error', WEEK_NOTICES.tooLong);
        if (!slot.place.trim() || !isKnownTimeZone(slot.timeZone)) return this.deps.notice('error', WEEK_NOTICES.badSlot);
        const input = { ...slot, place: slot.place.trim(), ...(note ? { note } : {}), ...(intent.slotId ? { slotId: intent.slotId } : {}) };
        if (!note) delete input.note;
        return void (await this.edit((runtime) => runtime.edit((c) => setMeetingSlot(c, WeekActions.facilitatorsOf(runtime), input))));
      }
      case 'remove-meeting-slot': {
        const runtime = this.deps.runtime();
        const held = runtime && this.screen(runtime).slots.find((s) => s.id === intent.slotId);
        if (!held) return;
        const { weekday, time, timeZone, place, note } = held;
        const slot = { weekday, time, timeZone, place, ...(note ? { note } : {}) };
        const slotId = held.id.slice(held.id.indexOf('/') + 1);
        return void (await this.edit((r) => r.edit((c) => setMeetingSlot(c, WeekActions.facilitatorsOf(r), { ...slot, slotId, active: false }))));
      }
      case 'set-agenda': {
        const runtime = this.deps.runtime();
        const current = runtime && this.screen(runtime).meeting;
        const meetingId = intent.newMeeting || !current ? toBase64Url(randomBytes(12)) : current.meetingId;
        const change = { meetingId, step: intent.step, timerSeconds: intent.timerSeconds, ...(intent.turn ? { turn: intent.turn } : {}) };
        return void (await this.edit((r) => r.edit((c) => writeAgenda(c, WeekActions.facilitatorsOf(r), change))));
      }
      case 'pass-turn': {
        const runtime = this.deps.runtime();
        const current = runtime && this.screen(runtime).meeting;
        if (!current || current.turn !== runtime.viewerId) return this.deps.notice('error', WEEK_NOTICES.notYourTurn);
        const { meetingId, step, timerSeconds } = current;
        const change = { meetingId, step, timerSeconds, basedOn: current.id, ...(intent.to ? { turn: intent.to } : {}) };
        return void (await this.edit((r) => r.edit((c) => writeAgenda(c, WeekActions.facilitatorsOf(r), change))));
      }
      case 'add-technique': {
        const title = intent.title.trim();
        const body = intent.body.trim();
        if (!title || !body) return this.deps.notice('error', WEEK_NOTICES.empty);
        if (title.length > TECHNIQUE_LIMITS.title || body.length > TECHNIQUE_LIMITS.body) return this.deps.notice('error', WEEK_NOTICES.tooLong);
        return void (await this.edit((runtime) => runtime.edit((c) => addTechnique(c, { title, body, category: intent.category }))));
      }
      case 'mark-helped':
        return void (await this.edit((runtime) => runtime.edit((c) => toggleHelped(c, intent.techniqueId))));
    }
  }

  /** A private check-in goes to sealed settings only; a shared one becomes a record in my chain. */
  private async checkIn(mood: Mood, note: string | undefined, share: boolean): Promise<void> {
    if ((note?.length ?? 0) > CHECKIN_NOTE_MAX) return this.deps.notice('error', WEEK_NOTICES.tooLong);
    const now = this.deps.now();
    const day = localDay(now);
    if (share) {
      const shared = await this.edit((runtime) => runtime.edit((c) => shareCheckin(c, { mood, day, ...(note ? { note } : {}) })));
      if (shared) this.deps.notice('info', WEEK_NOTICES.shared);
      return;
    }
    const store = this.deps.store();
    if (!store) return;
    const checkins = withCheckin(this.personal.checkins, { day, mood, createdAt: now, ...(note ? { note } : {}) });
    const saved = await store.setSetting(PRIVATE_CHECKINS_KEY, checkins);
    if (!saved.ok) return this.deps.notice('error', saved.error.message);
    this.personal = { ...this.personal, checkins };
    this.deps.notice('info', WEEK_NOTICES.savedPrivately);
  }

  private async saveRecovery(recovery: PersonalData['recovery']): Promise<void> {
    const store = this.deps.store();
    if (!store) return;
    const saved = await store.setSetting(RECOVERY_KEY, recovery ?? null);
    if (!saved.ok) return this.deps.notice('error', saved.error.message);
    this.personal = { ...this.personal, recovery };
  }

  private async settleMilestone(days: number): Promise<void> {
    const recovery = this.personal.recovery;
    if (recovery && !recovery.settled.includes(days)) await this.saveRecovery({ ...recovery, settled: [...recovery.settled, days] });
  }

  /** A change of mine to the open group's board; false (with a notice) when it was not made. */
  private async edit(change: (runtime: GroupRuntime) => Promise<{ ok: true } | { ok: false; problem: string; message?: string }>): Promise<boolean> {
    const runtime = this.deps.runtime();
    if (!runtime) {
      this.deps.notice('error', WEEK_NOTICES.noGroup);
      return false;
    }
    const written = await change(runtime);
    if (written.ok) return true;
    this.deps.notice('error', problemMessage(written.problem, written.message));
    return false;
  }
}

const SLOT_PROBLEMS = new Set(['bad-weekday', 'bad-time', 'bad-time-zone', 'bad-place']);

function problemMessage(problem: string, message: string | undefined): string {
  if (problem === 'not-facilitator') return WEEK_NOTICES.notFacilitator;
  if (problem === 'not-saved') return message ?? WEEK_NOTICES.failed;
  return SLOT_PROBLEMS.has(problem) ? WEEK_NOTICES.badSlot : WEEK_NOTICES.failed;
}

/** A zone this device can show times in (the model only checks a name's shape). */
function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}
