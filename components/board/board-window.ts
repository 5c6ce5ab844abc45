import { css, html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { cardList } from '../stack.js';
import { theme } from '../theme.js';

/** Posts shown or hidden in one step, and the most the window holds at once. */
export const WINDOW_PAGE = 25;
export const WINDOW_MAX = 3 * WINDOW_PAGE;
/** How far from the viewport the next page starts loading. */
const NEAR = '800px';

/**
 * A long list that renders only a window of its items near the viewport, so the DOM stays the
 * same size at any board length. Scrolling near either end moves the window (older items below,
 * newer above); the "Show older posts" and "Show newer posts" buttons do the same for keyboard
 * and switch users, and move focus to the first item they revealed. Every item keeps its place
 * in the whole list (`aria-posinset` of `aria-setsize`), and the DOM order is the visible order.
 *
 * The parent renders each item (`renderItem`), so what a post looks like is not this element's concern.
 */
@customElement('hearth-board-window')
export class HearthBoardWindow<T = unknown> extends LitElement {
  static override styles = [
    theme,
    cardList,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      ol {
        /* The window corrects the scroll itself when it drops items above the viewport. */
        overflow-anchor: none;
      }
      li:focus-visible {
        outline: 3px solid var(--h-focus, currentColor);
        outline-offset: 3px;
        border-radius: 0.5rem;
      }
      .edge {
        height: 1px;
      }
      .more {
        justify-self: center;
      }
    `,
  ];

  /** Every item, in the order shown (newest first). */
  @property({ attribute: false }) items: readonly T[] = [];
  /** A stable key per item. */
  @property({ attribute: false }) keyOf: (item: T) => string = String;
  @property({ attribute: false }) renderItem: (item: T) => TemplateResult | typeof nothing = () => nothing;
  /** The list's accessible name. */
  @property() label = '';

  /** The window: items[start, end). */
  @state() private start = 0;
  @state() private end = WINDOW_PAGE;

  @query('.edge.top') private topEdge?: HTMLElement;
  @query('.edge.bottom') private bottomEdge?: HTMLElement;
  private observer: IntersectionObserver | undefined;
  /** The key of the first item shown, to keep the window on it when items arrive above it. */
  private firstKey: string | undefined;
  /** Set by a move: an item to keep still on screen, or one to focus, once rendered. */
  private pending: { key: string; top: number } | { focus: string } | undefined;

  /** The keys shown now, in order (the tests read it). */
  get shownKeys(): string[] {
    return this.items.slice(this.start, this.end).map((item) => this.keyOf(item));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.observer?.disconnect();
    this.observer = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('items')) return;
    // Items arrived or left: stay on the same first item if it is still there, else go to the top.
    const at = this.firstKey === undefined || this.start === 0 ? 0 : this.items.findIndex((item) => this.keyOf(item) === this.firstKey);
    const size = Math.max(this.end - this.start, WINDOW_PAGE);
    this.start = Math.max(0, at);
    this.end = Math.min(this.items.length, this.start + size);
  }

  protected override updated(): void {
    this.firstKey = this.start < this.end ? this.keyOf(this.items[this.start]!) : undefined;
    const pending = this.pending;
    this.pending = undefined;
    if (pending && 'focus' in pending) this.itemElement(pending.focus)?.focus();
    else if (pending) {
      const moved = this.itemElement(pending.key);
      if (moved) window.scrollBy(0, moved.getBoundingClientRect().top - pending.top);
    }
    this.observe();
  }

  override render() {
    const shown = this.items.slice(this.start, this.end);
    return html`
      ${this.start > 0
        ? html`<div class="edge top"></div>
            <button type="button" class="more quiet" @click=${() => this.showNewer(true)}>Show newer posts</button>`
        : nothing}
      <ol aria-label=${this.label}>
        ${repeat(
          shown,
          (item) => this.keyOf(item),
          (item, i) => html`<li
            data-key=${this.keyOf(item)}
            tabindex="-1"
            aria-posinset=${this.start + i + 1}
            aria-setsize=${this.items.length}
          >
            ${this.renderItem(item)}
          </li>`,
        )}
      </ol>
      ${this.end < this.items.length
        ? html`<button type="button" class="more quiet" @click=${() => this.showOlder(true)}>Show older posts</button>
            <div class="edge bottom"></div>`
        : nothing}
    `;
  }

  /** Shows the next page of older items; drops the newest ones beyond the window's size. */
  showOlder(focus = false): void {
    if (this.end >= this.items.length) return;
    const firstNew = this.end;
    this.end = Math.min(this.items.length, this.end + WINDOW_PAGE);
    if (this.end - this.start > WINDOW_MAX) {
      // The last item shown stays where it is on screen while the items above it go.
      this.keepStill(this.items[firstNew - 1]!);
      this.start = this.end - WINDOW_MAX;
    }
    if (focus) this.pending = { focus: this.keyOf(this.items[firstNew]!) };
  }

  /** Shows the previous page of newer items; drops the oldest ones beyond the window's size. */
  showNewer(focus = false): void {
    if (this.start === 0) return;
    const lastNew = this.start - 1;
    this.keepStill(this.items[this.start]!);
    this.start = Math.max(0, this.start - WINDOW_PAGE);
    this.end = Math.min(this.end, this.start + WINDOW_MAX);
    if (focus) this.pending = { focus: this.keyOf(this.items[lastNew]!) };
  }

  private keepStill(item: T): void {
    const key = this.keyOf(item);
    const element = this.itemElement(key);
    if (element) this.pending = { key, top: element.getBoundingClientRect().top };
  }

  private itemElement(key: string): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`li[data-key="${CSS.escape(key)}"]`);
  }

  /** Watches the two edges: one near the viewport moves the window that way. */
  private observe(): void {
    this.observer?.disconnect();
    this.observer ??= new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (!entry.isIntersecting) continue;
          if (entry.target === this.bottomEdge) this.showOlder();
          else if (entry.target === this.topEdge) this.showNewer();
        }
      },
      { rootMargin: NEAR },
    );
    if (this.topEdge) this.observer.observe(this.topEdge);
    if (this.bottomEdge) this.observer.observe(this.bottomEdge);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-board-window': HearthBoardWindow;
  }
}
