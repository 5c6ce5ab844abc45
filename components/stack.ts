import { css, type CSSResultGroup } from 'lit';
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

/** A disclosure's summary as tall as a button, so it is easy to tap. */
export const disclosure = css`
  summary {
    cursor: pointer;
    font-weight: 600;
    min-height: 2.75rem;
    display: flex;
    align-items: center;
  }
`;
