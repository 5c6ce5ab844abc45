import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { GroupSummary } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { FOCUS_LABELS } from '../text.js';

/**
 * The groups on this device: open one, create one, or leave one (after a confirmation that
 * says what leaving wipes).
 *
 * @fires hearth-intent - `navigate` to a board or to create-group; `leave-group` once confirmed;
 *   `open-invite` with a pasted invite link.
 * @csspart dialog - the leave confirmation.
 */
@customElement('hearth-groups')
export class HearthGroups extends HearthElement {
  static override styles = [
    theme,
    css`
      ul {
        list-style: none;
        padding: 0;
        margin: 0 0 1.5rem;
        display: grid;
        gap: 0.75rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
      }
      .open {
        flex: 1 1 12rem;
        text-align: start;
        font-weight: 600;
        display: grid;
      }
      .focus {
        font-weight: 400;
        color: var(--h-muted);
        font-size: 0.95rem;
      }
      .join {
        margin-top: 1.5rem;
      }
      .join h2 {
        margin-top: 0;
      }
      dialog {
        max-width: min(28rem, calc(100vw - 2rem));
        border: 2px solid var(--h-border);
        border-radius: 1rem;
        background: var(--h-surface);
        color: var(--h-text);
        padding: 1.25rem;
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.5);
      }
    `,
  ];

  /** The groups on this device, in the order to show them. */
  @property({ attribute: false }) groups: GroupSummary[] = [];

  @state() private leaving?: GroupSummary;
  @state() private inviteError = '';

  override render() {
    return html`
      <h1 tabindex="-1">Your groups</h1>
      ${this.groups.length
        ? html`<ul aria-label="Your groups">
            ${this.groups.map(
              (group) => html`<li class="card">
                <button class="open" type="button" @click=${() => this.open(group)}>
                  <bdi>${group.name}</bdi>
                  ${group.focus ? html`<span class="focus">${FOCUS_LABELS[group.focus]}</span>` : null}
                </button>
                <button class="danger" type="button" @click=${() => (this.leaving = group)}>
                  Leave group<span class="vh">: <bdi>${group.name}</bdi></span>
                </button>
              </li>`,
            )}
          </ul>`
        : html`<p>You're not in a group yet. Create one, or open an invite link someone in your group shared with you.</p>`}
      <button class="primary" type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'create-group' } })}>
        Create a group
      </button>
      <form class="card join" novalidate autocomplete="off" aria-labelledby="join-title" @submit=${this.onJoin}>
        <h2 id="join-title">Join with an invite</h2>
        <div class="field">
          <label for="invite">Paste an invite link</label>
          <p class="hint" id="invite-hint">
            Pasting keeps the link out of your browser's history, where opening it as a web address would leave it.
          </p>
          <input
            id="invite"
            autocomplete="off"
            spellcheck="false"
            aria-describedby=${this.inviteError ? 'invite-hint invite-error' : 'invite-hint'}
            aria-invalid=${this.inviteError ? 'true' : 'false'}
          />
          ${this.inviteError ? html`<p class="error" id="invite-error">${this.inviteError}</p>` : null}
        </div>
        <button type="submit">Open invite</button>
      </form>
      <dialog part="dialog" aria-labelledby="leave-title" aria-describedby="leave-what" @close=${() => (this.leaving = undefined)}>
        ${this.leaving
          ? html`<h2 id="leave-title">Leave <bdi>${this.leaving.name}</bdi>?</h2>
              <p id="leave-what">
                Everything from this group will be wiped from this device. If someone from the group is online, they are
                told you left and the group moves to new keys. The others keep their copy, and you can come back with a new
                invite.
              </p>
              <div class="actions">
                <button type="button" autofocus @click=${this.cancelLeave}>Stay in the group</button>
                <button class="danger primary" type="button" @click=${this.confirmLeave}>Leave and wipe</button>
              </div>`
          : null}
      </dialog>
    `;
  }

  protected override updated(): void {
    const dialog = this.renderRoot.querySelector('dialog')!;
    if (this.leaving && !dialog.open) dialog.showModal();
  }

  private open(group: GroupSummary): void {
    this.emit({ type: 'navigate', route: { name: 'board', groupId: group.id } });
  }

  private onJoin(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#invite')!;
    const link = input.value.trim();
    this.inviteError = link ? '' : 'Paste the invite link someone in your group shared with you.';
    if (this.inviteError) {
      input.focus();
      return;
    }
    input.value = '';
    this.emit({ type: 'open-invite', link });
  }

  private cancelLeave(): void {
    this.renderRoot.querySelector('dialog')!.close();
  }

  private confirmLeave(): void {
    const group = this.leaving!;
    this.renderRoot.querySelector('dialog')!.close();
    this.emit({ type: 'leave-group', groupId: group.id });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-groups': HearthGroups;
  }
}
