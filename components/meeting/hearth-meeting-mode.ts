import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { BoardScreen } from '../../src/app/state.js';
import { AGENDA_STEPS, nextTurn, type AgendaStep } from '../../src/model/meeting.js';
import { HearthElement } from '../hearth-element.js';
import { backToBoard, stackedView } from '../stack.js';

const STEP_LABELS: Record<AgendaStep, string> = {
  opening: 'Opening and guidelines',
  'check-in-round': 'Check-in round',
  'sharing-round': 'Sharing round',
  closing: 'Closing',
  ended: 'Ended',
};
const ROUND_STEPS: readonly AgendaStep[] = ['check-in-round', 'sharing-round'];
const TIMER_CHOICES = [0, 120, 180, 300];

const clock = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/**
 * Meeting mode: the agenda with the current step, who is here, whose turn it is and the
 * optional share timer. Facilitators move the meeting on; the member whose turn it is passes it.
 *
 * @fires hearth-intent - `set-agenda`, `pass-turn`, `navigate` back to the board.
 */
@customElement('hearth-meeting-mode')
export class HearthMeetingMode extends HearthElement {
  static override styles = [
    stackedView,
    css`
      ol.agenda {
        padding-inline-start: 1.5rem;
      }
      ol.agenda [aria-current='step'] {
        font-weight: 700;
        color: var(--h-accent);
      }
      .turn {
        font-size: 1.2rem;
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) board!: BoardScreen;
  /** The clock the share timer reads; ticks each second while a timer runs. */
  @state() private now = Date.now();
  private ticker: ReturnType<typeof setInterval> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.ticker = setInterval(() => {
      if (this.board?.week?.meeting?.timerSeconds) this.now = Date.now();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  /** Everyone here, this device first, in a stable order every device agrees on. */
  private get here(): { authorId: string; name: string }[] {
    const others = this.board.presence
      .filter((p) => p.authorId !== this.board.viewerId)
      .map((p) => ({ authorId: p.authorId, name: p.displayName }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.authorId < b.authorId ? -1 : 1));
    return [{ authorId: this.board.viewerId, name: 'You' }, ...others];
  }

  private nameOf(authorId: string): string {
    if (authorId === this.board.viewerId) return 'You';
    return this.here.find((m) => m.authorId === authorId)?.name ?? this.board.members.get(authorId)?.displayName ?? 'A member';
  }

  override render() {
    const week = this.board.week;
    const meeting = week?.meeting;
    return html`
      ${backToBoard(this.board.group.id, (intent) => this.emit(intent))}
      <h1 tabindex="-1">Meeting</h1>
      ${meeting ? this.renderMeeting(meeting) : html`<p>No meeting is under way.</p>`}
      ${!meeting && week?.facilitator
        ? html`<button class="primary" type="button" @click=${() => this.emit({ type: 'set-agenda', step: 'opening', timerSeconds: 0, newMeeting: true })}>Start the meeting</button>`
        : null}
      <section aria-labelledby="here-heading">
        <h2 id="here-heading">Here now</h2>
        <ul aria-labelledby="here-heading">
          ${this.here.map((m) => html`<li><bdi>${m.name}</bdi></li>`)}
        </ul>
      </section>
    `;
  }

  private renderMeeting(meeting: NonNullable<NonNullable<BoardScreen['week']>['meeting']>) {
    const facilitator = this.board.week!.facilitator;
    const mine = meeting.turn === this.board.viewerId;
    const ids = this.here.map((m) => m.authorId);
    const upcoming = nextTurn(ids, meeting.turn);
    const elapsed = Math.max(0, Math.floor((this.now - meeting.createdAt) / 1000));
    const left = Math.max(0, meeting.timerSeconds - elapsed);
    const stepIndex = AGENDA_STEPS.indexOf(meeting.step);
    const following = AGENDA_STEPS[stepIndex + 1];
    const set = (step: AgendaStep, turn: string | undefined, timerSeconds = meeting.timerSeconds) =>
      this.emit({ type: 'set-agenda', step, timerSeconds, ...(turn ? { turn } : {}) });
    return html`
      <section aria-labelledby="agenda-heading">
        <h2 id="agenda-heading">Agenda</h2>
        <ol class="agenda" aria-labelledby="agenda-heading">
          ${AGENDA_STEPS.filter((s) => s !== 'ended').map((s) => html`<li aria-current=${s === meeting.step ? 'step' : 'false'}>${STEP_LABELS[s]}</li>`)}
        </ol>
        ${meeting.step === 'opening' && this.board.group.guidelines
          ? html`<h3>Our guidelines, read aloud</h3><p class="user-text">${this.board.group.guidelines}</p>`
          : null}
      </section>
      ${ROUND_STEPS.includes(meeting.step)
        ? html`<section aria-labelledby="turn-heading">
            <h2 id="turn-heading">Whose turn</h2>
            <p class="turn" role="status">${meeting.turn ? (mine ? 'Your turn' : html`<bdi>${this.nameOf(meeting.turn)}</bdi>'s turn`) : 'Everyone has had a turn'}</p>
            ${meeting.turn && meeting.timerSeconds
              ? html`<p>Share timer: <span role="timer" aria-live="off">${left > 0 ? `${clock(left)} left` : 'time is up, finish your thought'}</span></p>`
              : null}
            ${mine
              ? html`<button class="primary" type="button" @click=${() => this.emit({ type: 'pass-turn', ...(upcoming ? { to: upcoming } : {}) })}>
                  ${upcoming ? html`Pass to <bdi>${this.nameOf(upcoming)}</bdi>` : 'Finish my turn'}
                </button>`
              : null}
          </section>`
        : null}
      ${facilitator
        ? html`<section aria-labelledby="run-heading">
            <h2 id="run-heading">Run the meeting</h2>
            <div class="actions">
              ${following && following !== 'ended'
                ? html`<button type="button" @click=${() => set(following, ROUND_STEPS.includes(following) ? ids[0] : undefined)}>
                    Move on to ${STEP_LABELS[following].toLowerCase()}
                  </button>`
                : null}
              ${ROUND_STEPS.includes(meeting.step) && !mine && upcoming ? html`<button type="button" @click=${() => set(meeting.step, upcoming)}>Next person</button>` : null}
              <button type="button" class="danger" @click=${() => set('ended', undefined, 0)}>End the meeting</button>
            </div>
            ${ROUND_STEPS.includes(meeting.step)
              ? html`<form autocomplete="off" class="field" @change=${(e: Event) => set(meeting.step, meeting.turn, Number((e.target as HTMLSelectElement).value))}>
                  <label for="share-timer">Share timer</label>
                  <select id="share-timer" name="timer">
                    ${TIMER_CHOICES.map((s) => html`<option value=${s} ?selected=${s === meeting.timerSeconds}>${s ? `${s / 60} minutes` : 'No timer'}</option>`)}
                  </select>
                </form>`
              : null}
          </section>`
        : null}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-meeting-mode': HearthMeetingMode;
  }
}
