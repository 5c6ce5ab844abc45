import { css, html, type CSSResultGroup } from 'lit';
import type { Intent } from '../src/app/state.js';
import { theme } from './theme.js';

/** The shared look for a view that stacks its parts with even space between them. */
export const stackedView: CSSResultGroup = [
  theme,
  css`
    :host {
      display: grid;
      gap: 1rem;
    }
  `,
];

/** A view's one list of cards (posts, techniques): no markers or indent, even space between items. */
export const cardList = css`
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 0.75rem;
  }
`;

/** A disclosure's summary as tall as a button, so it is easy to tap, with a marker that shows open and closed. */
export const disclosure = css`
  summary {
    cursor: pointer;
    font-weight: 600;
    min-height: 2.75rem;
    display: flex;
    align-items: center;
    gap: 0.4rem;
  }
  /* display: flex drops the native marker: draw one. */
  summary::before {
    content: '▸';
    display: inline-block;
    transition: transform 0.15s;
  }
  details[open] > summary::before {
    transform: rotate(90deg);
  }
  @media (prefers-reduced-motion: reduce) {
    summary::before {
      transition: none;
    }
  }
`;

/** The way back from a view of the group (the shelf, meeting mode) to its board. */
export function backToBoard(groupId: string, emit: (intent: Intent) => void) {
  return html`<div class="actions">
    <button type="button" class="quiet" @click=${() => emit({ type: 'navigate', route: { name: 'board', groupId } })}>
      <span aria-hidden="true">←</span> Back to the board
    </button>
  </div>`;
}
