import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import './hearth-at-door.js';
import { qrPath, qrStyles, qrSvg } from './qr-path.js';
import type { MembershipView } from '../../src/app/state.js';

/** Quiet zone around the code, in modules, as the QR standard asks. */
const QUIET = 4;

/**
 * A one-time invite for one group: the link to copy, the same link as a QR code drawn on this
 * device, the people asking to join with the code each one's screen shows, and the invites
 * still open, each with a way to withdraw it.
 *
 * @fires hearth-intent - `admit-join`, `decline-join` (from <hearth-at-door>), `revoke-invite`; `navigate` back to the group's board or meeting.
 * @csspart qr - the QR code's SVG.
 */
@customElement('hearth-invite')
export class HearthInvite extends HearthElement {
  static override styles = [
    theme,
    qrStyles,
    css`
      .link-row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .link-row input {
        flex: 1 1 12rem;
        min-width: 0;
      }
.plain {
        list-style: none;
        padding: 0;
      }
      .warning {
        border-inline-start: 4px solid var(--h-victory);
        background: var(--h-victory-bg);
        padding: 0.75rem 1rem;
        border-radius: 0.5rem;
      }
    `,
  ];

  /** Name of the group the invite is for (shown as text). */
  @property() groupName = '';
  /** The invite link, with the group's key in its fragment. */
  @property() link = '';
  /** The group's id, for the way back to its board. */
  @property() groupId = '';
  /** People asking to join through this device's invites. */
  @property({ attribute: false }) atDoor: MembershipView['atDoor'] = [];
  /** A meeting without internet is open: the way back leads to it, not the board. */
  @property({ type: Boolean }) meeting = false;
  /** This device's invites that can still let someone in. */
  @property({ attribute: false }) pending: MembershipView['invites'] = [];

  @state() private copyStatus = '';
  private qr: ReturnType<typeof qrPath>;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('link')) {
      this.qr = qrPath(this.link);
      this.copyStatus = '';
    }
  }

  override render() {
    const qr = this.qr;
    return html`
      <h1 tabindex="-1">Invite someone to <bdi>${this.groupName}</bdi></h1>
      <p class="warning">
        This link lets one person ask to join, for the next 72 hours. It holds no key to the board: you let them in
        yourself, here, after comparing the code on both screens. Keep this page open until they have asked.
      </p>
      <section aria-labelledby="door-title">
        <h2 id="door-title">Asking to join</h2>
        <hearth-at-door .atDoor=${this.atDoor}></hearth-at-door>
      </section>
      <div class="field">
        <label for="link">Invite link</label>
        <div class="link-row">
          <input id="link" readonly .value=${this.link} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          <button class="primary" type="button" @click=${this.copy}>Copy link</button>
        </div>
        <p class="hint" role="status">${this.copyStatus}</p>
        <p class="hint">
          Safest: they open Hearth and paste the link into "Join with an invite", so it never lands in their browser's
          history.
        </p>
      </div>
      <p>Or let them scan this code with their phone's camera:</p>
      ${qr
        ? qrSvg(qr, 'QR code of the invite link')
        : html`<p class="error">This link is too long for a QR code; please share the link instead.</p>`}
      ${this.pending.length > 0
        ? html`<section aria-labelledby="open-title">
            <h2 id="open-title">Open invites</h2>
            <ul class="plain">
              ${this.pending.map(
                (invite, i) => html`<li>
                  Invite ${i + 1}, open until ${new Date(invite.expiresAt).toLocaleString()}
                  <button type="button" @click=${() => this.emit({ type: 'revoke-invite', inviteKey: invite.inviteKey })}>Withdraw invite ${i + 1}</button>
                </li>`,
              )}
            </ul>
          </section>`
        : null}
      ${this.meeting
        ? html`<button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'venue', groupId: this.groupId } })}>Back to the meeting</button>`
        : html`<button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'board', groupId: this.groupId } })}>Back to the board</button>`}
    `;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.link);
      this.copyStatus = 'Copied';
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>('#link')!.select();
      this.copyStatus = "Couldn't copy here. The link is selected: copy it with your device's copy command.";
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-invite': HearthInvite;
  }
}
