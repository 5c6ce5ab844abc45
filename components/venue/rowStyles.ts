import { css } from 'lit';

/** A row that wraps on a narrow screen: a code field beside its button, or buttons side by side. */
export const rowStyles = css`
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  .row input {
    flex: 1 1 12rem;
    min-width: 0;
  }
`;
