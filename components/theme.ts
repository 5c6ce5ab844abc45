import { css, unsafeCSS, type CSSResult } from 'lit';

/**
 * Hearth's shared look: warm tokens in light and dark, the system font stack, visible focus
 * and calm controls. Every component adopts `theme`, so each can stand alone (and be tested
 * alone) while looking the same inside <hearth-app>.
 *
 * Colours resolve through `light-dark()`, so the inherited `color-scheme` picks the palette:
 * <hearth-app> sets `color-scheme: light dark` (the person's preference), and a `theme`
 * attribute there, or `color-scheme` on any ancestor, forces one.
 */

/** [light, dark] pairs; every text pair meets WCAG AA on its background in both palettes. */
const PALETTE = {
  bg: ['#faf5ef', '#1b1613'],
  surface: ['#ffffff', '#262019'],
  'surface-2': ['#f3ebe2', '#30281f'],
  text: ['#2a1f1a', '#f4ece4'],
  muted: ['#5f4f45', '#cdbfb3'],
  border: ['#8a7668', '#9b8a7d'],
  accent: ['#9c4119', '#f2a471'],
  'on-accent': ['#ffffff', '#1b1613'],
  focus: ['#1d5fa8', '#8cc4ff'],
  story: ['#2b5c8f', '#a8cdf3'],
  'story-bg': ['#eaf1f9', '#1f2a36'],
  encouragement: ['#2d6a3e', '#a3d9b0'],
  'encouragement-bg': ['#eaf5ec', '#1e2d22'],
  victory: ['#7a5100', '#f4cd77'],
  'victory-bg': ['#fbf1d9', '#33291a'],
  danger: ['#a11d1d', '#ffb3b3'],
  'danger-bg': ['#fdecec', '#3a1f1f'],
} as const;

const entries = Object.entries(PALETTE);
const tokens = (pick: (pair: readonly [string, string]) => string): string =>
  entries.map(([name, pair]) => `--h-${name}: ${pick(pair)};`).join('\n');

// Built from the constants above only (never from data), so unsafeCSS is safe here.
const palette = unsafeCSS(`
  :host { ${tokens(([light, dark]) => `light-dark(${light}, ${dark})`)} }
  @supports not (color: light-dark(#000, #fff)) {
    :host { ${tokens(([light]) => light)} }
    @media (prefers-color-scheme: dark) { :host { ${tokens(([, dark]) => dark)} } }
  }
`);

export const theme: CSSResult[] = [
  palette,
  css`
    :host {
      font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Ubuntu, Cantarell, sans-serif;
      line-height: 1.5;
      color: var(--h-text);
      box-sizing: border-box;
    }
    :host([hidden]) {
      display: none;
    }
    *,
    *::before,
    *::after {
      box-sizing: inherit;
    }
    h1,
    h2,
    h3 {
      line-height: 1.25;
      margin: 0 0 0.5rem;
    }
    h1 {
      font-size: 1.5rem;
    }
    h2 {
      font-size: 1.2rem;
    }
    h3 {
      font-size: 1.05rem;
    }
    p {
      margin: 0 0 0.75rem;
    }
    /* What people wrote: keep their line breaks, and never let a long word push the page sideways. */
    .user-text {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    bdi {
      overflow-wrap: anywhere;
    }
    .vh {
      position: absolute;
      width: 1px;
      height: 1px;
      padding: 0;
      margin: -1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
      border: 0;
    }
    button,
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
    }
    button {
      cursor: pointer;
      min-height: 2.75rem;
      padding: 0.5rem 1rem;
      border-radius: 0.75rem;
      border: 2px solid var(--h-accent);
      background: var(--h-surface);
      color: var(--h-text);
    }
    button.primary {
      background: var(--h-accent);
      color: var(--h-on-accent);
      font-weight: 600;
    }
    button.quiet {
      border-color: transparent;
      background: transparent;
      text-decoration: underline;
      padding-inline: 0.5rem;
    }
    button.danger {
      border-color: var(--h-danger);
      color: var(--h-danger);
    }
    button.danger.primary {
      background: var(--h-danger);
      color: var(--h-surface);
    }
    :focus-visible {
      outline: 3px solid var(--h-focus);
      outline-offset: 2px;
    }
    /* A heading focused for screen readers after a tap or at start: no box (see focusHeading). */
    .no-ring:focus-visible {
      outline: none;
    }
    input,
    select,
    textarea {
      width: 100%;
      min-height: 2.75rem;
      padding: 0.5rem 0.75rem;
      border: 2px solid var(--h-border);
      border-radius: 0.6rem;
      background: var(--h-surface);
    }
    input[type='radio'] {
      width: auto;
      min-height: 0;
      accent-color: var(--h-accent);
    }
    /* A checkbox or radio with its label text beside it. */
    label.check {
      display: flex;
      gap: 0.6rem;
      align-items: flex-start;
    }
    label.check input {
      width: auto;
      min-height: 0;
      margin-block-start: 0.35rem;
      accent-color: var(--h-accent);
    }
    textarea {
      min-height: 6rem;
      resize: vertical;
    }
    label,
    legend {
      font-weight: 600;
    }
    .field {
      display: grid;
      gap: 0.25rem;
      margin-block: 0 1rem;
    }
    .hint {
      color: var(--h-muted);
      font-size: 0.95rem;
      margin: 0;
    }
    .error {
      color: var(--h-danger);
      font-weight: 600;
      margin: 0;
    }
    [aria-invalid='true'] {
      border-color: var(--h-danger);
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
      align-items: center;
    }
    .card {
      background: var(--h-surface);
      border-radius: 1rem;
      padding: 1rem;
      border: 1px solid var(--h-surface-2);
    }
  `,
];

