import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { MembershipView } from '../../src/app/state.js';
import '../group-edit/hearth-group-edit.js';
import type { GroupDetails } from '../group-edit/hearth-group-edit.js';
import { HearthElement } from '../hearth-element.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';

/**
 * The group's members: names, a facilitator badge, who is here now; for facilitators, making a
 * member a co-facilitator and removing someone after a confirmation that says what removal does
 * and does not do. A removed device is told so plainly and offered to delete the group here.
 *
 * Facilitators also edit the group's name, focus and guidelines here, and choose automatic admission.
 *
 * @fires hearth-intent - `remove-member`, `appoint-facilitator`, `leave-group` (delete from this device),
 *   `set-auto-admit`, `set-share-history`, and `edit-group` from the facilitator's form.
 */
@customElement('hearth-members')
export class HearthMembers extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      ul {
        list-style: none;
        padding: 0;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        padding: 0.25rem 0;
      }
      .badge {
        border: 1px solid currentColor;
        border-radius: 1rem;
        padding: 0 0.5rem;
        font-size: 0.875rem;
      }
    `,
  ];

  /** The membership as the app derives it. */
  @property({ attribute: false }) membership: MembershipView | undefined;
  /** The group's id, for deleting it from this device once removed. */
  @property() groupId = '';
  /** The group's name, focus and guidelines, for a facilitator's form. */
  @property({ attribute: false }) group: GroupDetails | undefined;

  @state() private confirming: { id: string; name: string } | undefined;

  override render() {
    const m = this.membership;
    if (!m) return null;
    if (m.removed) {
      return html`<section class="card" role="alert" aria-labelledby="removed-title">
        <h2 id="removed-title">You are no longer a member of this group</h2>
        <p>A facilitator removed this device from the group (or you left it). You can still read what was shared before, but nothing new will reach this device.</p>
        <button type="button" class="primary" @click=${() => this.emit({ type: 'leave-group', groupId: this.groupId })}>Delete this group from this device</button>
      </section>`;
    }
    if (!m.managed) return null;
    return html`<details>
      <summary>Members (${m.members.length})${m.loneFacilitator ? ' · choose a second facilitator' : ''}</summary>
      ${m.loneFacilitator
        ? html`<p class="hint">You are this group's only facilitator. Choose a second one, so the group is not stuck if your phone is lost.</p>`
        : null}
      <ul aria-label="Members">
        ${m.members.map(
          (member) => html`<li>
            <span><bdi>${member.displayName}</bdi>${member.you ? ' (you)' : ''}</span>
            ${member.facilitator ? html`<span class="badge">Facilitator</span>` : null}
            ${member.here && !member.you ? html`<span class="badge">Here now</span>` : null}
            ${m.viewerIsFacilitator && !member.you
              ? html`${member.facilitator
                    ? null
                    : html`<button type="button" @click=${() => this.emit({ type: 'appoint-facilitator', member: member.id })}>
                        Make <bdi>${member.displayName}</bdi> a facilitator
                      </button>`}
                  <button type="button" @click=${() => (this.confirming = { id: member.id, name: member.displayName })}>
                    Remove <bdi>${member.displayName}</bdi>
                  </button>`
              : null}
          </li>`,
        )}
      </ul>
      ${this.confirming ? this.renderConfirm(this.confirming) : null}
      ${m.viewerIsFacilitator
        ? html`<hearth-group-edit .group=${this.group}></hearth-group-edit>
            ${this.renderSetting('auto-admit', m.autoAdmit, 'Let people in without comparing codes',
              'New invites then last one hour, and whoever opens one in that hour and agrees to the guidelines joins at once.')}
            ${this.renderSetting('share-history', m.shareHistory, 'Newcomers can read earlier posts',
              'When this is off, people who join from now on see only what is written after they arrive.')}`
        : null}
    </details>`;
  }

  /** One of the group's admission settings: a labelled switch with its hint; a change sends `set-<name>`. */
  private renderSetting(name: 'auto-admit' | 'share-history', checked: boolean, label: string, hint: string) {
    return html`<form class="field" autocomplete="off" @submit=${(event: Event) => event.preventDefault()}>
      <label class="check">
        <input
          type="checkbox"
          .checked=${checked}
          aria-describedby="${name}-hint"
          @change=${(event: Event) => this.emit({ type: `set-${name}`, on: (event.target as HTMLInputElement).checked })}
        />
        <span>${label}</span>
      </label>
      <p class="hint" id="${name}-hint">${hint}</p>
    </form>`;
  }

  private renderConfirm(who: { id: string; name: string }) {
    return html`<div class="card" role="dialog" aria-modal="false" aria-labelledby="remove-title">
      <h3 id="remove-title">Remove <bdi>${who.name}</bdi> from the group?</h3>
      <p>
        Their device will no longer be able to read anything shared from now on: the group moves to new keys and a new
        meeting room.
      </p>
      <p>
        It does not take back what they already read or saved, and it does not delete their earlier posts from the board.
      </p>
      <div class="actions">
        <button type="button" class="primary" @click=${() => this.confirmRemove(who.id)}>Yes, remove <bdi>${who.name}</bdi></button>
        <button type="button" @click=${() => (this.confirming = undefined)}>Keep <bdi>${who.name}</bdi></button>
      </div>
    </div>`;
  }

  private confirmRemove(member: string): void {
    this.confirming = undefined;
    this.emit({ type: 'remove-member', member });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-members': HearthMembers;
  }
}
