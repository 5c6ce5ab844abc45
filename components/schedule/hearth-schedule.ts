import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { DEFAULT_CALENDAR_TITLE, meetingCalendar } from '../../src/app/calendar.js';
import type { WeekScreen } from '../../src/app/weekState.js';
import { SCHEDULE_LIMITS, WEEKDAYS, type ScheduleRecord, type Weekday } from '../../src/model/schedule.js';
import { HearthElement } from '../hearth-element.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';
import { WEEKDAY_NAMES, countdownText } from './countdown.js';

const slotText = (slot: ScheduleRecord): string => `${WEEKDAY_NAMES[slot.weekday]}s at ${slot.time} (${slot.timeZone.replace(/_/g, ' ')})`;
const deviceTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const randomUid = (): string => Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * The group's meetings: the next one with a countdown and an "add to calendar" file made on
 * this device; for facilitators, the weekly slots and a form to add one.
 *
 * @fires hearth-intent - `set-meeting-slot`, `remove-meeting-slot`.
 */
@customElement('hearth-schedule')
export class HearthSchedule extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      .next {
        font-size: 1.1rem;
        font-weight: 600;
        margin: 0;
      }
      ul {
        padding-inline-start: 1.25rem;
      }
      li {
        margin-block-end: 0.5rem;
      }
      .row {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
        gap: 0 0.75rem;
      }
    `,
  ];

  @property({ attribute: false }) week!: WeekScreen;
  /** The clock the countdown reads; ticks each half minute while shown. */
  @state() private now: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => (this.now = Date.now()), 30_000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    const { next, facilitator, slots } = this.week;
    return html`<section class="card" aria-labelledby="schedule-heading">
      <h2 id="schedule-heading">Next meeting</h2>
      ${next
        ? html`<p class="next">${slotText(next.slot)}</p>
            <p><span role="timer" aria-live="off">${countdownText(next.startsAt, Math.max(this.now ?? 0, this.week.now))}</span>, <bdi class="user-text">${next.slot.place}</bdi></p>
            ${next.slot.note ? html`<p class="user-text">${next.slot.note}</p>` : null}
            ${this.renderCalendar()}`
        : html`<p>No meetings are scheduled yet.</p>`}
      ${facilitator ? this.renderSlots(slots) : null}
    </section>`;
  }

  private renderCalendar() {
    return html`<details>
      <summary>Add to your calendar</summary>
      <form autocomplete="off" @submit=${this.download}>
        <div class="field">
          <label for="calendar-title">Title in your calendar</label>
          <input id="calendar-title" name="title" .value=${DEFAULT_CALENDAR_TITLE} maxlength="80" />
          <p class="hint">Calendar alerts can show on a locked screen, so the group's name and focus are never in the file.</p>
        </div>
        <button type="submit">Download calendar file</button>
      </form>
    </details>`;
  }

  private renderSlots(slots: ScheduleRecord[]) {
    return html`<h3>Weekly meetings</h3>
      ${slots.length
        ? html`<ul aria-label="Weekly meetings">
            ${slots.map(
              (slot) => html`<li>
                ${slotText(slot)}, <bdi class="user-text">${slot.place}</bdi>
                <button type="button" class="quiet" @click=${() => this.emit({ type: 'remove-meeting-slot', slotId: slot.id })}>
                  Remove<span class="vh"> the ${WEEKDAY_NAMES[slot.weekday]} ${slot.time} meeting</span>
                </button>
              </li>`,
            )}
          </ul>`
        : null}
      <details>
        <summary>Add a weekly meeting</summary>
        <form autocomplete="off" @submit=${this.addSlot}>
          <div class="row">
            <div class="field">
              <label for="slot-weekday">Day</label>
              <select id="slot-weekday" name="weekday">
                ${WEEKDAYS.map((day) => html`<option value=${day}>${WEEKDAY_NAMES[day]}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="slot-time">Time</label>
              <input id="slot-time" name="time" type="time" value="19:00" required />
            </div>
          </div>
          <div class="field">
            <label for="slot-zone">Time zone</label>
            <input id="slot-zone" name="timeZone" .value=${deviceTimeZone()} maxlength=${SCHEDULE_LIMITS.timeZone} required />
          </div>
          <div class="field">
            <label for="slot-place">Place, or "online"</label>
            <input id="slot-place" name="place" value="online" maxlength=${SCHEDULE_LIMITS.place} required />
          </div>
          <div class="field">
            <label for="slot-note">Note (optional)</label>
            <input id="slot-note" name="note" maxlength=${SCHEDULE_LIMITS.note} />
          </div>
          <button class="primary" type="submit">Add meeting</button>
        </form>
      </details>`;
  }

  private addSlot(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    const note = String(data.get('note') ?? '').trim();
    this.emit({
      type: 'set-meeting-slot',
      slot: {
        weekday: Number(data.get('weekday')) as Weekday,
        time: String(data.get('time')),
        timeZone: String(data.get('timeZone')).trim(),
        place: String(data.get('place')).trim(),
        ...(note ? { note } : {}),
      },
    });
  }

  private download(event: SubmitEvent): void {
    event.preventDefault();
    const next = this.week.next;
    if (!next) return;
    const title = String(new FormData(event.target as HTMLFormElement).get('title') ?? '');
    const text = meetingCalendar({ slot: next.slot, startsAt: next.startsAt, now: Date.now(), uid: randomUid(), title });
    const url = URL.createObjectURL(new Blob([text], { type: 'text/calendar' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'meeting.ics';
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-schedule': HearthSchedule;
  }
}
