import { css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { PostView } from '../../src/model/board.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import './hearth-delete-own.js';

/**
 * A post's options, behind one disclosure button: for facilitators, hide it for everyone
 * (or show it again) and pin it (at most three; a fourth is refused here and ignored by every
 * device); for its author, delete it. Renders nothing for anyone else.
 *
 * @fires hearth-intent - `hide-post`, `pin-post`, and (from its child) `delete-post`.
 */
@customElement('hearth-post-menu')
export class HearthPostMenu extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .options {
        display: grid;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .options[hidden] {
        display: none;
      }
      /* A small button beside the post's heading, still a full-size target. */
      .more {
        min-width: 2.75rem;
        font-size: 1.25rem;
        line-height: 1;
      }
      button[aria-disabled='true'] {
        border-style: dashed;
        color: var(--h-muted);
        cursor: not-allowed;
      }
    `,
  ];

  /** The post the options act on. */
  @property({ attribute: false }) post!: PostView;
  /** This device's author id. */
  @property() viewerId = '';
  /** The viewer may hide and pin. */
  @property({ type: Boolean }) facilitator = false;
  /** Three posts are pinned already. */
  @property({ type: Boolean, attribute: 'pins-full' }) pinsFull = false;

  @state() private open = false;

  override render() {
    const own = this.post.record.authorId === this.viewerId;
    if (!own && !this.facilitator) return nothing;
    return html`<button
        type="button"
        class="quiet more"
        aria-label="Post options"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="options"
        @click=${() => (this.open = !this.open)}
      >
        <span aria-hidden="true">⋯</span>
      </button>
      <div id="options" class="options" ?hidden=${!this.open}>
        ${this.open && this.facilitator ? this.renderFacilitatorTools() : nothing}
        ${this.open && own ? html`<hearth-delete-own kind="post" .recordId=${this.post.record.id}></hearth-delete-own>` : nothing}
      </div>`;
  }

  private renderFacilitatorTools() {
    const { record, hidden, pinned } = this.post;
    const refused = this.pinsFull && !pinned;
    return html`<div class="actions">
        <button type="button" @click=${() => this.emit({ type: 'hide-post', postId: record.id, hidden: !hidden })}>
          ${hidden ? 'Show to everyone again' : 'Hide for everyone'}
        </button>
        <button
          type="button"
          aria-disabled=${refused ? 'true' : 'false'}
          aria-describedby=${refused ? 'pins-full' : nothing}
          @click=${() => refused || this.emit({ type: 'pin-post', postId: record.id, pinned: !pinned })}
        >
          ${pinned ? 'Unpin' : 'Pin to the top'}
        </button>
      </div>
      ${refused ? html`<p class="hint" id="pins-full">Three posts are pinned already. Unpin one to pin this one.</p>` : nothing}
      ${hidden ? nothing : html`<p class="hint">Hiding keeps it from members; its author and the facilitators still see it.</p>`}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-post-menu': HearthPostMenu;
  }
}
