import { css, html, type PropertyValues } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AppState, Route } from '../../src/app/state.js';
import '../board/hearth-board.js';
import '../create-group/hearth-create-group.js';
import '../groups/hearth-groups.js';
import { HearthElement } from '../hearth-element.js';
import '../invite/hearth-invite.js';
import '../venue/hearth-venue.js';
import '../join/hearth-join.js';
import '../lock/hearth-lock.js';
import '../meeting/hearth-meeting-mode.js';
import '../quick-exit/hearth-quick-exit.js';
import '../settings/hearth-settings.js';
import '../shelf/hearth-shelf.js';
import '../support/hearth-support-alerts.js';
import '../support/hearth-support-now.js';
import { theme } from '../theme.js';
import '../welcome/hearth-welcome.js';

/** The app's flame (as in favicon.svg), drawn inline: an emoji needs a font the device may lack. */
const flame = html`<svg viewBox="30 15 40 62" aria-hidden="true" focusable="false">
  <path d="M50 15 C54 27 70 40 70 57 A20 20 0 0 1 30 57 C30 40 46 27 50 15 Z" fill="currentColor" />
  <path class="inner" d="M50 38 C52 45 60 53 60 64 A10 10 0 0 1 40 64 C40 53 48 45 50 38 Z" />
</svg>`;

const routeKey = (route: Route): string => ('groupId' in route ? `${route.name}:${route.groupId}` : route.name);

/**
 * The root: renders the view for `state.route`, a notice area (errors as alerts, information
 * as status), and an "update available" prompt. The page title stays "Hearth" whatever is
 * open, so no group name or post ever reaches history, tab lists or screenshots of the switcher.
 *
 * Mount it directly in <body> (it renders its own <header> and <main> landmarks).
 *
 * @fires hearth-intent - `dismiss-notice`, `apply-update`, and every intent of the views.
 * @csspart main - the main landmark.
 */
@customElement('hearth-app')
export class HearthApp extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        min-height: 100vh;
        min-height: 100dvh;
        color-scheme: light dark;
        background: var(--h-bg);
      }
      :host([theme='light']) {
        color-scheme: light;
      }
      :host([theme='dark']) {
        color-scheme: dark;
      }
      .banner {
        padding: 0.75rem 1rem;
        border-bottom: 1px solid var(--h-surface-2);
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        justify-content: space-between;
      }
      .banner nav {
        display: flex;
        gap: 0.5rem;
      }
      /* Covered at once on quick exit and pagehide under the lock: nothing readable in a snapshot. */
      :host([covered]) .notices,
      :host([covered]) main {
        visibility: hidden;
      }
      .brand {
        font-weight: 700;
        font-size: 1.15rem;
        margin: 0;
        color: var(--h-accent);
        display: flex;
        align-items: center;
        gap: 0.4rem;
      }
      .brand svg {
        width: 1.1em;
        height: 1.1em;
      }
      /* Two tones in both palettes: in dark mode the outer flame takes the light accent, so the core darkens. */
      .brand .inner {
        fill: light-dark(#f2a471, #9c4119);
      }
      main,
      .notices {
        max-width: 40rem;
        margin: 0 auto;
        padding: 1rem;
      }
      .notices {
        padding-bottom: 0;
      }
      .notices:has(.notice) {
        display: grid;
        gap: 0.75rem;
      }
      .notice {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        align-items: center;
        justify-content: space-between;
        padding: 0.75rem 1rem;
        border-radius: 0.75rem;
        background: var(--h-surface);
        border-inline-start: 6px solid var(--h-story);
      }
      .notice.error {
        background: var(--h-danger-bg);
        border-color: var(--h-danger);
      }
      .notice p {
        margin: 0;
        flex: 1 1 12rem;
      }
    `,
  ];

  @property({ attribute: false }) state!: AppState;
  /** Forces a palette ('light' or 'dark'); by default the person's system setting decides. */
  @property({ reflect: true }) theme?: 'light' | 'dark';
  /** The person asked Hearth itself for less motion (the media query applies regardless). */
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;

  override connectedCallback(): void {
    super.connectedCallback();
    document.title = 'Hearth';
  }

  override render() {
    const { notice } = this.state;
    return html`
      <header class="banner">
        <p class="brand">${flame} Hearth</p>
        <nav aria-label="Hearth">
          ${this.state.status === 'ready' && this.state.profile && this.state.route.name !== 'settings'
            ? html`<button type="button" class="quiet" @click=${() => this.emit({ type: 'navigate', route: { name: 'settings' } })}>Settings</button>`
            : null}
          ${this.groupSupport() ? html`<hearth-support-now .support=${this.groupSupport()}></hearth-support-now>` : null}
          <hearth-quick-exit></hearth-quick-exit>
        </nav>
      </header>
      <div class="notices">
        <div role="alert">${notice?.kind === 'error' ? this.renderNotice(notice.message, 'error') : null}</div>
        <div role="status">
          ${notice?.kind === 'info' ? this.renderNotice(notice.message, 'info') : null}
          ${this.state.updateAvailable
            ? html`<div class="notice">
                <p>A new version of Hearth is ready.</p>
                <button class="primary" type="button" @click=${() => this.emit({ type: 'apply-update' })}>Reload</button>
              </div>`
            : null}
        </div>
      </div>
      <main part="main">
        ${this.groupSupport()?.incoming.length
          ? html`<hearth-support-alerts .incoming=${this.groupSupport()!.incoming}></hearth-support-alerts>`
          : null}
        ${this.renderView()}
      </main>
    `;
  }

  /** "Support now" belongs to every screen of the open group (its board and its invite). */
  private groupSupport() {
    const { route, board, status } = this.state;
    if (status !== 'ready' || !board || !('groupId' in route) || route.groupId !== board.group.id) return undefined;
    return board.support;
  }

  private renderNotice(message: string, kind: 'error' | 'info') {
    return html`<div class="notice ${kind}">
      <p class="user-text">${message}</p>
      <button type="button" @click=${() => this.emit({ type: 'dismiss-notice' })}>
        Dismiss<span class="vh"> this message</span>
      </button>
    </div>`;
  }

  private renderView() {
    const { state } = this;
    if (state.status === 'loading') return html`<p role="status">Opening Hearth…</p>`;
    if (state.status === 'locked') return html`<hearth-lock .unlock=${state.unlock ?? { busy: false, retryAt: 0 }}></hearth-lock>`;
    if (state.status === 'wiped') {
      return html`<h1 tabindex="-1">Hearth was wiped from this device</h1>
        <p>Nothing from Hearth is kept here any more. You can close this page.</p>`;
    }
    if (state.status === 'failed') {
      return html`<h1 tabindex="-1">Hearth couldn't open</h1>
        <p>Something went wrong on this device. Your data is still here; reloading the page often helps.</p>`;
    }
    const { route } = state;
    switch (route.name) {
      case 'welcome':
        return html`<hearth-welcome></hearth-welcome>`;
      case 'groups':
        return html`<hearth-groups .groups=${state.groups}></hearth-groups>`;
      case 'create-group':
        return html`<hearth-create-group></hearth-create-group>`;
      case 'board':
        return state.board && state.board.group.id === route.groupId
          ? html`<hearth-board .board=${state.board} ?reduced-motion=${this.reducedMotion}></hearth-board>`
          : html`<p role="status">Opening the board…</p>`;
      case 'shelf':
      case 'meeting':
        return state.board && state.board.group.id === route.groupId
          ? route.name === 'shelf'
            ? html`<hearth-shelf .board=${state.board}></hearth-shelf>`
            : html`<hearth-meeting-mode .board=${state.board}></hearth-meeting-mode>`
          : html`<p role="status">Opening the board…</p>`;
      case 'invite':
        return state.invite
          ? html`<hearth-invite
              .groupName=${state.invite.groupName}
              .link=${state.invite.link}
              .groupId=${route.groupId}
              .atDoor=${state.board?.membership.atDoor ?? []}
              .pending=${state.board?.membership.invites ?? []}
              ?meeting=${state.venue?.groupId === route.groupId}
            ></hearth-invite>`
          : html`<p role="status">Preparing the invite…</p>`;
      case 'venue':
        return state.venue
          ? html`<hearth-venue
              .venue=${state.venue}
              .atDoor=${state.board?.membership.atDoor ?? []}
              ?canInvite=${!!state.board?.membership.managed && !!state.board.membership.viewerIsFacilitator}
            ></hearth-venue>`
          : html`<p role="status">Opening the meeting…</p>`;
      case 'settings':
        return state.privacy
          ? html`<hearth-settings .privacy=${state.privacy} .displayName=${state.profile?.displayName ?? ''} .authorId=${state.profile?.authorId ?? ''} .otherNames=${otherNames(state)}></hearth-settings>`
          : null;
      case 'join':
        return html`<hearth-join .groupName=${route.groupName} ?needsName=${!state.profile} .joining=${state.joining}></hearth-join>`;
      case 'bad-invite':
        return html`<h1 tabindex="-1">This invite link doesn't work</h1>
          <p class="user-text">${route.message}</p>
          <button
            class="primary"
            type="button"
            @click=${() => this.emit({ type: 'navigate', route: { name: state.profile ? 'groups' : 'welcome' } })}
          >
            ${state.profile ? 'Go to your groups' : 'Continue'}
          </button>`;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    // A new lock screen replaced whatever was on screen: it is safe to show again.
    if (this.state.status === 'locked' && previous?.status !== 'locked') this.removeAttribute('covered');
    // After navigation, move focus to the new view's heading so screen readers announce it.
    if (previous && routeKey(previous.route) !== routeKey(this.state.route)) void this.focusView();
  }

  private async focusView(): Promise<void> {
    const view = [...(this.renderRoot.querySelector('main')?.children ?? [])].find((el) => el.localName !== 'hearth-support-alerts');
    if (view instanceof HearthElement) {
      await view.updateComplete;
      view.focusHeading();
    } else {
      this.focusHeading();
    }
  }
}

/** Names of the open group's other members, for Settings to flag a name that matches one. */
function otherNames(state: AppState): string[] {
  const board = state.board;
  return board ? [...board.members.values()].filter((m) => m.authorId !== board.viewerId).map((m) => m.displayName) : [];
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-app': HearthApp;
  }
}
