import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoardScreen } from '../../src/app/state.js';
import '../checkin/hearth-checkin.js';
import { HearthElement } from '../hearth-element.js';
import '../recovery/hearth-recovery-days.js';
import '../schedule/hearth-schedule.js';
import { stackedView } from '../stack.js';

/**
 * The week between meetings on the board: a menu to the coping shelf and meeting mode (with
 * the meeting under way, if any), the next meeting, check-ins and the person's own days.
 *
 * @fires hearth-intent - `navigate` to the shelf or meeting mode, and its children's intents.
 */
@customElement('hearth-week')
export class HearthWeek extends HearthElement {
  static override styles = [
    stackedView,
    css`
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) board!: BoardScreen;

  override render() {
    const week = this.board.week!;
    const groupId = this.board.group.id;
    return html`
      <nav aria-label="Group menu">
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'shelf', groupId } })}>Coping shelf</button>
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'meeting', groupId } })}>
          ${week.meeting ? 'Join the meeting under way' : 'Meeting mode'}
        </button>
      </nav>
      <hearth-schedule .week=${week}></hearth-schedule>
      <hearth-checkin .week=${week} .members=${this.board.members} .viewerId=${this.board.viewerId}></hearth-checkin>
      <hearth-recovery-days .recovery=${week.recovery} .today=${week.today}></hearth-recovery-days>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-week': HearthWeek;
  }
}
