import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

/** Shift pressed this many times within WINDOW_MS leaves, as GOV.UK's "Exit this page" does. */
const PRESSES = 3;
const WINDOW_MS = 5000;

/**
 * Quick exit: a visible button, and Shift three times anywhere. Either covers the page at once
 * and asks the app to leave (it replaces the location with a neutral page and locks).
 *
 * @fires hearth-intent - `quick-exit`.
 */
@customElement('hearth-quick-exit')
export class HearthQuickExit extends HearthElement {
  static override styles = [
    theme,
    css`
      button {
        min-height: 2.75rem;
        font-weight: 600;
      }
      .cover {
        position: fixed;
        inset: 0;
        background: #ffffff;
        z-index: 2147483647;
      }
    `,
  ];

  @state() private covered = false;
  private presses: number[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('keydown', this.onKey, true);
  }

  override disconnectedCallback(): void {
    removeEventListener('keydown', this.onKey, true);
    super.disconnectedCallback();
  }

  override render() {
    return html`<button type="button" @click=${this.exit}>Quick exit</button>${this.covered ? html`<div class="cover"></div>` : null}`;
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    // Any other key in between (typing capitals) starts the count again, as GOV.UK's does.
    if (event.key !== 'Shift') {
      this.presses = [];
      return;
    }
    if (event.repeat) return;
    const now = event.timeStamp;
    this.presses = [...this.presses.filter((at) => now - at < WINDOW_MS), now];
    if (this.presses.length >= PRESSES) this.exit();
  };

  private exit(): void {
    this.presses = [];
    this.covered = true;
    this.emit({ type: 'quick-exit' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-quick-exit': HearthQuickExit;
  }
}
