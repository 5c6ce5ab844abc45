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
