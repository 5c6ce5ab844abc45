import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { WeekScreen } from '../../src/app/weekState.js';
import { CHECKIN_NOTE_MAX, MOODS, type Mood } from '../../src/model/checkin.js';
import type { MemberRecord } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import { disclosure, stackedView } from '../stack.js';
import './hearth-mood-chart.js';
import { MOOD_WORDS, moodLabel } from './moods.js';

/**
 * "How am I doing today": a mood in words, an optional line, shared with the group or kept on
 * this device only (the default). Below it, today's shared check-ins and the viewer's chart.
 *
 * @fires hearth-intent - `check-in`.
 */
@customElement('hearth-checkin')
export class HearthCheckin extends HearthElement {
  static override styles = [
    stackedView,
    disclosure,
    css`
      fieldset {
        border: 0;
        margin: 0 0 1rem;
        padding: 0;
      }
      .moods {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .moods label {
        border: 2px solid var(--h-border);
        border-radius: 999px;
        padding: 0.35rem 0.8rem;
        display: flex;
        gap: 0.4rem;
        align-items: center;
        font-weight: 400;
      }
      .moods label:has(:checked) {
        border-color: var(--h-accent);
        font-weight: 600;
      }
      ul.today {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.25rem;
      }
    `,
  ];

  @property({ attribute: false }) week!: WeekScreen;
  @property({ attribute: false }) members: ReadonlyMap<string, MemberRecord> = new Map();
  @property({ attribute: false }) viewerId = '';
  @state() private mood: Mood | undefined;

  override render() {
    return html`
      <section class="card" aria-labelledby="checkin-heading">
        <h2 id="checkin-heading">Check-ins</h2>
        ${this.renderToday()}
        <details>
          <summary>Check in: how are you today?</summary>
          ${this.renderForm()}
        </details>
        <details>
          <summary>Your last 30 days</summary>
          <hearth-mood-chart .entries=${this.week.mine} .today=${this.week.today}></hearth-mood-chart>
        </details>
      </section>
    `;
  }

  private renderForm() {
    return html`<form autocomplete="off" @submit=${this.submit}>
          <fieldset>
            <legend>Today feels</legend>
            <div class="moods">
              ${MOODS.map(
                (mood) => html`<label>
                  <input type="radio" name="mood" .value=${String(mood)} @change=${() => (this.mood = mood)} />
                  ${MOOD_WORDS[mood]}
                </label>`,
              )}
            </div>
          </fieldset>
          <div class="field">
            <label for="checkin-note">A line about it (optional)</label>
            <input id="checkin-note" name="note" maxlength=${CHECKIN_NOTE_MAX} />
          </div>
          <fieldset>
            <legend>Who sees it</legend>
            <label class="check"><input type="radio" name="share" value="private" checked /> Just me, on this device</label>
            <label class="check"><input type="radio" name="share" value="group" /> Share with the group</label>
          </fieldset>
          <button class="primary" type="submit" ?disabled=${this.mood === undefined}>Save check-in</button>
        </form>`;
  }

  private renderToday() {
    const { checkins } = this.week;
    if (checkins.length === 0) return html`<p class="hint">No one has shared a check-in today yet.</p>`;
    return html`<h3 id="today-heading">Today in the group</h3>
      <ul class="today" aria-labelledby="today-heading">
        ${checkins.map((entry) => {
          const name = entry.authorId === this.viewerId ? 'You' : (this.members.get(entry.authorId)?.displayName ?? 'A member');
          return html`<li><bdi>${name}</bdi>: ${moodLabel(entry.mood)}${entry.note ? html` — <span class="user-text">${entry.note}</span>` : null}</li>`;
        })}
      </ul>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.mood === undefined) return;
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const note = String(data.get('note') ?? '').trim();
    this.emit({ type: 'check-in', mood: this.mood, share: data.get('share') === 'group', ...(note ? { note } : {}) });
    form.reset();
    this.mood = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-checkin': HearthCheckin;
  }
}
