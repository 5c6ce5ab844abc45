import { css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { moodHistory, type CheckinEntry } from '../../src/model/checkin.js';
import { HearthElement } from '../hearth-element.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';
import { MOOD_WORDS, moodLabel } from './moods.js';

// Made when a chart first draws, not when the board's code loads: the page's first Intl
// formatter loads ICU's locale data (see components/text.ts).
let dayFormat: Intl.DateTimeFormat | undefined;
const dayText = (day: string): string =>
  (dayFormat ??= new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' })).format(new Date(`${day}T00:00:00Z`));

/**
 * A member's own last 30 days of check-ins as a simple bar chart, with the same data as a
 * list for screen readers and anyone who prefers words (the drawing is hidden from them).
 */
@customElement('hearth-mood-chart')
export class HearthMoodChart extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      svg {
        width: 100%;
        height: 6rem;
        display: block;
      }
      .bar {
        fill: var(--h-accent);
      }
      .base {
        stroke: var(--h-border);
      }
      ul {
        margin: 0.5rem 0 0;
        padding-inline-start: 1.25rem;
      }
    `,
  ];

  /** The viewer's check-ins, shared and private. */
  @property({ attribute: false }) entries: readonly CheckinEntry[] = [];
  /** YYYY-MM-DD: the chart ends on this day. */
  @property() today = '';

  override render() {
    const history = moodHistory(this.entries, this.today);
    const recorded = history.filter((point) => point.mood !== null);
    if (recorded.length === 0) return html`<p class="hint">Your check-ins of the last 30 days will show here.</p>`;
    const width = 300;
    const step = width / history.length;
    return html`
      <svg viewBox="0 0 ${width} 60" preserveAspectRatio="none" aria-hidden="true" focusable="false">
        ${history.map((point, i) =>
          point.mood === null ? null : svg`<rect class="bar" x=${i * step + 1} width=${step - 2} y=${60 - point.mood * 11} height=${point.mood * 11}></rect>`,
        )}
        <line class="base" x1="0" x2=${width} y1="59.5" y2="59.5"></line>
      </svg>
      <details>
        <summary>Your last 30 days in words</summary>
        <ul aria-label="Your check-ins, last 30 days">
          ${recorded.map((point) => html`<li>${dayText(point.day)}: ${moodLabel(point.mood!)}</li>`)}
        </ul>
      </details>
      <p class="hint">Taller bars are better days: from ${MOOD_WORDS[1].toLowerCase()} to ${MOOD_WORDS[5].toLowerCase()}.</p>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-mood-chart': HearthMoodChart;
  }
}
