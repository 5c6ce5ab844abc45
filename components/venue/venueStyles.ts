import { css } from 'lit';

/**
 * What the venue screens share: a row that wraps on a narrow screen (a code field beside its
 * button, or buttons side by side), and the short code both phones compare, large and even.
 */
export const venueStyles = css`
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .row input {
    flex: 1 1 12rem;
    min-width: 0;
  }
  .short-code {
    font-size: 1.5rem;
    font-variant-numeric: tabular-nums;
    letter-spacing: 0.1em;
  }
`;
