import { css, html, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { AppState, Route } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import '../lock/hearth-lock.js';
import '../quick-exit/hearth-quick-exit.js';
import { theme } from '../theme.js';
import { isViewLoaded, loadView, type LazyView } from './views.js';
import '../welcome/hearth-welcome.js';

/** The app's flame (as in favicon.svg), drawn inline: an emoji needs a font the device may lack. */
const flame = html`<svg viewBox="30 15 40 62" aria-hidden="true" focusable="false">
  <path d="M50 15 C54 27 70 40 70 57 A20 20 0 0 1 30 57 C30 40 46 27 50 15 Z" fill="currentColor" />
  <path class="inner" d="M50 38 C52 45 60 53 60 64 A10 10 0 0 1 40 64 C40 53 48 45 50 38 Z" />
</svg>`;

const OPENING = html`<p role="status">Opening…</p>`;
const UNLOADABLE = html`<h1 tabindex="-1">This screen couldn't open</h1>
  <p>Part of Hearth is missing on this device. Your groups and posts are safe; reload the page when you are online.</p>`;

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
  /** A view whose module failed to load; cleared by the next navigation, which tries again. */
  @state() private unloadable?: LazyView;
  private readonly loadingViews = new Set<LazyView>();
  private focusOnLoad = false;

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
          ${this.groupSupport() ? this.lazy('hearth-support-now', () => html`<hearth-support-now .support=${this.groupSupport()}></hearth-support-now>`, null) : null}
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
          ? this.lazy('hearth-support-alerts', () => html`<hearth-support-alerts .incoming=${this.groupSupport()!.incoming}></hearth-support-alerts>`, null)
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

  /**
   * `view()` once `tag`'s module has loaded; until then `waiting`, while it loads. A module that
   * cannot load (an update removed it and the network is gone) is said plainly and logged once.
   */
  private lazy(tag: LazyView, view: () => TemplateResult, waiting: TemplateResult | null = OPENING): TemplateResult | null {
    if (isViewLoaded(tag)) return view();
    if (this.unloadable === tag) return UNLOADABLE;
    if (!this.loadingViews.has(tag)) {
      this.loadingViews.add(tag);
      loadView(tag).then(
        () => {
          this.loadingViews.delete(tag);
          this.requestUpdate();
          if (this.focusOnLoad) void this.updateComplete.then(() => this.focusView({ afterPaint: true }));
        },
        (error: unknown) => {
          this.loadingViews.delete(tag);
          console.warn('hearth: view-unavailable', tag, error);
          this.unloadable = tag;
        },
      );
    }
    return waiting;
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
    const { route, board, invite, venue, privacy } = state;
    switch (route.name) {
      case 'welcome':
        return html`<hearth-welcome></hearth-welcome>`;
      case 'groups':
        return this.lazy('hearth-groups', () => html`<hearth-groups .groups=${state.groups}></hearth-groups>`);
      case 'create-group':
        return this.lazy('hearth-create-group', () => html`<hearth-create-group></hearth-create-group>`);
      case 'board':
        return board && board.group.id === route.groupId
          ? this.lazy('hearth-board', () => html`<hearth-board .board=${board} ?reduced-motion=${this.reducedMotion}></hearth-board>`)
          : html`<p role="status">Opening the board…</p>`;
      case 'shelf':
      case 'meeting':
        return board && board.group.id === route.groupId
          ? route.name === 'shelf'
            ? this.lazy('hearth-shelf', () => html`<hearth-shelf .board=${board}></hearth-shelf>`)
            : this.lazy('hearth-meeting-mode', () => html`<hearth-meeting-mode .board=${board}></hearth-meeting-mode>`)
          : html`<p role="status">Opening the board…</p>`;
      case 'invite':
        return invite
          ? this.lazy(
              'hearth-invite',
              () => html`<hearth-invite
                .groupName=${invite.groupName}
                .link=${invite.link}
                .groupId=${route.groupId}
                .atDoor=${board?.membership.atDoor ?? []}
                .pending=${board?.membership.invites ?? []}
                ?meeting=${venue?.groupId === route.groupId}
              ></hearth-invite>`,
            )
          : html`<p role="status">Preparing the invite…</p>`;
      case 'venue':
        return venue
          ? this.lazy(
              'hearth-venue',
              () => html`<hearth-venue
                .venue=${venue}
                .atDoor=${board?.membership.atDoor ?? []}
                ?canInvite=${!!board?.membership.managed && !!board.membership.viewerIsFacilitator}
              ></hearth-venue>`,
            )
          : html`<p role="status">Opening the meeting…</p>`;
      case 'settings':
        return privacy
          ? this.lazy(
              'hearth-settings',
              () => html`<hearth-settings .privacy=${privacy} .displayName=${state.profile?.displayName ?? ''} .authorId=${state.profile?.authorId ?? ''} .otherNames=${otherNames(state)}></hearth-settings>`,
            )
          : null;
      case 'join':
        return this.lazy('hearth-join', () => html`<hearth-join .groupName=${route.groupName} ?needsName=${!state.profile} .joining=${state.joining}></hearth-join>`);
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

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    if (previous && routeKey(previous.route) !== routeKey(this.state.route)) this.unloadable = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    const previous = changed.get('state');
    // A new lock screen replaced whatever was on screen: it is safe to show again.
    if (this.state.status === 'locked' && previous?.status !== 'locked') this.removeAttribute('covered');
    // After navigation, move focus to the new view's heading so screen readers announce it.
    if (previous && routeKey(previous.route) !== routeKey(this.state.route)) void this.focusView({ afterPaint: previous.status === 'loading' });
  }

  /**
   * `afterPaint`: the view is the first one shown as the page opens (or one whose module just
   * arrived), all of it new: focusing it at once would lay the whole page out once for the focus
   * and again for the frame, on a slow phone before anything shows. After the frame it costs nothing.
   */
  private async focusView({ afterPaint = false } = {}): Promise<void> {
    const view = [...(this.renderRoot.querySelector('main')?.children ?? [])].find((el) => el.localName !== 'hearth-support-alerts');
    // A view still loading takes the focus when it arrives.
    this.focusOnLoad = !(view instanceof HearthElement);
    if (view instanceof HearthElement) {
      await view.updateComplete;
      if (afterPaint) await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
      // Gone meanwhile (the person moved on): the view shown now has taken the focus.
      if (view.isConnected) view.focusHeading();
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
