import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';

const WORDS = {
  post: { noun: 'post', intent: (id: string) => ({ type: 'delete-post', postId: id }) as const },
  reply: { noun: 'encouragement', intent: (id: string) => ({ type: 'delete-reply', replyId: id }) as const },
};

/**
 * "Delete my post" (or encouragement), with a confirmation that says what a delete does and
 * does not do. Only ever shown to the author: nobody else's delete can be written.
 *
 * @fires hearth-intent - `delete-post` or `delete-reply`, once confirmed.
 */
@customElement('hearth-delete-own')
export class HearthDeleteOwn extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .confirm {
        display: grid;
        gap: 0.5rem;
        border: 2px solid var(--h-danger);
        border-radius: 0.75rem;
        padding: 0.75rem;
      }
      .confirm p {
        margin: 0;
      }
    `,
  ];

  /** What is deleted: a post (with my encouragements and reactions on it) or one encouragement. */
  @property() kind: 'post' | 'reply' = 'post';
  /** The id of the record to delete. */
  @property() recordId = '';

  @state() private confirming = false;

  override render() {
    const { noun, intent } = WORDS[this.kind];
    if (!this.confirming) {
      return html`<button type="button" class="danger" id="start" @click=${() => this.toggle(true)}>Delete my ${noun}…</button>`;
    }
    return html`<div class="confirm" role="group" aria-labelledby="question">
      <p id="question"><strong>Delete this ${noun}?</strong></p>
      <p>
        It leaves this device now, and every member's device the next time they sync. Anyone who has already read it may
        still remember it.
      </p>
      <div class="actions">
        <button type="button" class="danger primary" @click=${() => this.emit(intent(this.recordId))}>Delete ${noun}</button>
        <button type="button" id="keep" @click=${() => this.toggle(false)}>Keep it</button>
      </div>
    </div>`;
  }

  /** Opens or closes the confirmation, keeping keyboard focus on what replaced the control. */
  private async toggle(confirming: boolean): Promise<void> {
    this.confirming = confirming;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(confirming ? '#keep' : '#start')?.focus();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-delete-own': HearthDeleteOwn;
  }
}
