import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { RecoveryView } from '../../src/app/weekState.js';
import { HearthElement } from '../hearth-element.js';
import { plural } from '../text.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';

/**
 * Recovery days, counted on this device only: the total of days since the first start (a new
 * start keeps it), the days since the latest start, and, when a milestone is reached, an offer
 * to share it with the group as a victory. Nothing is shared unless the person says so.
 *
 * @fires hearth-intent - `set-recovery-start`, `reset-recovery`, `share-milestone`, `dismiss-milestone`.
 */
@customElement('hearth-recovery-days')
export class HearthRecoveryDays extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      .total {
        font-size: 1.6rem;
        font-weight: 700;
        margin: 0;
      }
      .chip {
        display: inline-block;
        border-radius: 999px;
        padding: 0.2rem 0.8rem;
        background: var(--h-victory-bg);
        color: var(--h-victory);
        font-weight: 700;
      }
      .offer {
        display: grid;
        gap: 0.5rem;
        margin-block: 1rem;
      }
    `,
  ];

  @property({ attribute: false }) recovery: RecoveryView | undefined;
  /** YYYY-MM-DD on this device: the latest start date allowed. */
  @property() today = '';

  override render() {
    const { recovery } = this;
    return html`<section class="card" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">Your days</h2>
      ${recovery ? this.renderDays(recovery) : this.renderStart()}
      <p class="hint">Kept on this device only.</p>
    </section>`;
  }

  private renderStart() {
    return html`<details>
      <summary>Count your days</summary>
      <form autocomplete="off" @submit=${this.start}>
        <div class="field">
          <label for="recovery-start">When did you start?</label>
          <input id="recovery-start" name="start" type="date" max=${this.today} required />
        </div>
        <button class="primary" type="submit">Start counting</button>
      </form>
    </details>`;
  }

  private renderDays(recovery: RecoveryView) {
    const { milestone } = recovery;
    return html`
      <p class="total">${plural(recovery.total, 'day', 'days')}</p>
      <p>${recovery.sinceStart === recovery.total ? 'Every one of them counts.' : `${plural(recovery.sinceStart, 'day', 'days')} since your latest fresh start. Every day before it still counts.`}</p>
      ${milestone === undefined
        ? null
        : html`<div class="offer" role="group" aria-labelledby="milestone-label">
            <p id="milestone-label">You reached <span class="chip">${plural(milestone, 'day', 'days')}</span>. Would you like to share it with the group?</p>
            <div class="actions">
              <button class="primary" type="button" @click=${() => this.emit({ type: 'share-milestone', days: milestone })}>Share as a victory</button>
              <button type="button" @click=${() => this.emit({ type: 'dismiss-milestone', days: milestone })}>Keep it to myself</button>
            </div>
          </div>`}
      <details>
        <summary>Start again</summary>
        <p>A fresh start keeps your total: only the count since your latest start goes back to zero.</p>
        <button type="button" @click=${() => this.emit({ type: 'reset-recovery' })}>Start again today</button>
      </details>
    `;
  }

  private start(event: SubmitEvent): void {
    event.preventDefault();
    const day = String(new FormData(event.target as HTMLFormElement).get('start') ?? '');
    if (day) this.emit({ type: 'set-recovery-start', day });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-recovery-days': HearthRecoveryDays;
  }
}
