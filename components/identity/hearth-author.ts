import { css, html, unsafeCSS } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { AUTHOR_COLOURS, authorMark } from '../../src/model/authorMark.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

/**
 * Who wrote something, told apart from everyone else: the display name with a colour read
 * from the author's key, and, on activation, the key's short fingerprint. When another member
 * goes by the same name, the fingerprint's first four characters show beside the name too.
 *
 * @csspart author - the button holding the colour and the name.
 */
// One class per author colour, built from constants only (never from data), so unsafeCSS is
// safe; classes rather than a style attribute, which the strict style-src policy forbids.
const COLOUR_CLASSES = unsafeCSS(
  Array.from({ length: AUTHOR_COLOURS }, (_, i) => {
    const hue = (i * 360) / AUTHOR_COLOURS;
    return `.c${i} { background: light-dark(hsl(${hue} 70% 36%), hsl(${hue} 75% 66%)); }`;
  }).join('\n'),
);

@customElement('hearth-author')
export class HearthAuthor extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: inline;
      }
      button.author {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        min-height: 2.75rem;
        padding: 0 0.25rem;
        border: 0;
        background: transparent;
        font-weight: inherit;
        text-decoration: underline dotted;
        text-underline-offset: 0.2em;
      }
      .dot {
        flex: none;
        width: 0.85em;
        height: 0.85em;
        border-radius: 50%;
        border: 1px solid var(--h-text);
      }
      .short {
        font-family: ui-monospace, monospace;
        font-size: 0.9em;
        color: var(--h-muted);
      }
      .fingerprint {
        font-family: ui-monospace, monospace;
        font-size: 0.9rem;
        font-weight: 400;
        color: var(--h-muted);
        margin-inline-start: 0.25rem;
      }
    `,
    COLOUR_CLASSES,
  ];

  /** The author's id (base64url signing key): the colour and fingerprint come from it. */
  @property() authorId = '';
  /** Their display name; "A member" when they have not stated one. */
  @property() name = 'A member';
  /** The viewer is this author. */
  @property({ type: Boolean }) you = false;
  /** Another member goes by a name that reads the same. */
  @property({ type: Boolean }) twin = false;

  @state() private expanded = false;

  override render() {
    const { colour, fingerprint } = authorMark(this.authorId);
    return html`<button
        type="button"
        class="author"
        part="author"
        aria-expanded=${this.expanded ? 'true' : 'false'}
        aria-controls="fingerprint"
        aria-describedby="hint"
        @click=${() => (this.expanded = !this.expanded)}
      >
        <span class="dot c${colour}" aria-hidden="true"></span><bdi>${this.name}</bdi>${this
          .you
          ? ' (you)'
          : null}${this.twin ? html` <span class="short">${fingerprint.slice(0, 4)}</span>` : null}</button
      ><span id="hint" hidden>Shows their key fingerprint</span
      ><span id="fingerprint" class="fingerprint" ?hidden=${!this.expanded}>key ${fingerprint}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-author': HearthAuthor;
  }
}
