import { css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { PostView } from '../../src/model/index.js';
import { namesClash } from '../../src/model/authorMark.js';
import { LIMITS, REACTIONS, type MemberRecord, type Reaction } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import '../identity/hearth-author.js';
import './hearth-delete-own.js';
import './hearth-post-menu.js';
import { theme } from '../theme.js';
import { KIND_LABELS, REACTION_LABELS, milestoneText, plural, timeOf } from '../text.js';
import { checkLength } from '../validation.js';

/**
 * One post on the board: its kind (colour, icon and words), who wrote it (told apart by
 * <hearth-author>), a mark only if a signature failed, pinned and hidden marks, its options
 * (<hearth-post-menu>), the text (behind a button when it carries a content warning, except for
 * its own author), a celebrated milestone for victories, and, behind one button that counts
 * them, reactions and encouragements in reply (a calm board shows posts, not controls).
 *
 * @fires hearth-intent - `react` (toggle) and `reply`; from its children `hide-post`, `pin-post`,
 *   `delete-post` and `delete-reply`.
 * @csspart post - the article.
 * @csspart milestone - a victory's milestone (animated once unless motion is reduced).
 */
@customElement('hearth-post')
export class HearthPost extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
        --kind: var(--h-story);
        --kind-bg: var(--h-story-bg);
      }
      :host([kind='encouragement']) {
        --kind: var(--h-encouragement);
        --kind-bg: var(--h-encouragement-bg);
      }
      :host([kind='victory']) {
        --kind: var(--h-victory);
        --kind-bg: var(--h-victory-bg);
      }
      article {
        background: var(--h-surface);
        border: 1px solid var(--h-surface-2);
        border-inline-start: 6px solid var(--kind);
        border-radius: 1rem;
        padding: 0.75rem 1rem;
        display: grid;
        gap: 0.5rem;
        min-width: 0;
      }
      /* Who, what kind and when share a line when it fits: a phone shows more posts. */
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.25rem 0.75rem;
      }
      header hearth-post-menu {
        margin-inline-start: auto;
      }
      header .meta {
        flex-basis: 100%;
      }
      h3 {
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.5rem;
        align-items: baseline;
      }
      .kind {
        color: var(--kind);
        background: var(--kind-bg);
        border-radius: 999px;
        padding: 0.1rem 0.6rem;
        font-size: 0.95rem;
      }
      .meta {
        color: var(--h-muted);
        font-size: 0.95rem;
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 0.75rem;
      }
      .unverified {
        color: var(--h-danger);
        font-weight: 600;
      }
      .badge {
        border: 1px dashed var(--h-muted);
        border-radius: 999px;
        padding: 0 0.5rem;
      }
      .content > p:last-child {
        margin-bottom: 0;
      }
      .milestone {
        display: inline-block;
        font-size: 1.25rem;
        font-weight: 700;
        color: var(--h-victory);
        background: var(--h-victory-bg);
        border-radius: 0.75rem;
        padding: 0.25rem 0.75rem;
        animation: hearth-celebrate 1.6s ease-out 1;
      }
      @keyframes hearth-celebrate {
        0% {
          transform: scale(0.9);
          box-shadow: 0 0 0 0 var(--h-victory);
        }
        50% {
          transform: scale(1.05);
          box-shadow: 0 0 0 0.4rem transparent;
        }
        100% {
          transform: scale(1);
        }
      }
      /* Celebrations stay still for people who asked for less motion. */
      @media (prefers-reduced-motion: reduce) {
        .milestone {
          animation: none;
        }
      }
      :host([reduced-motion]) .milestone {
        animation: none;
      }
      .toggle {
        justify-self: start;
        border-color: var(--h-border);
        padding: 0.3rem 0.8rem;
        border-radius: 999px;
      }
      .toggle span[aria-hidden] {
        display: inline-block;
        transition: transform 0.15s;
      }
      .toggle[aria-expanded='true'] span[aria-hidden] {
        transform: rotate(90deg);
      }
      .response {
        display: grid;
        gap: 0.75rem;
      }
      .reactions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .reactions button {
        border-radius: 999px;
        border-color: var(--h-border);
        padding: 0.3rem 0.8rem;
      }
      .reactions button[aria-pressed='true'] {
        border-color: var(--kind);
        background: var(--kind-bg);
        font-weight: 600;
      }
      .count {
        font-variant-numeric: tabular-nums;
      }
      .replies {
        display: grid;
        gap: 0.5rem;
      }
      .replies h4 {
        margin: 0;
        font-size: 1rem;
      }
      .replies ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5rem;
      }
      .replies li {
        background: var(--h-surface-2);
        border-radius: 0.75rem;
        padding: 0.5rem 0.75rem;
      }
      .replies li p {
        margin: 0;
      }
      .reply-by {
        font-weight: 600;
      }
      .reply-form .field {
        margin-bottom: 0.5rem;
      }
      .reply-form textarea {
        min-height: 3rem;
      }
    `,
  ];

  /** The post, its replies and reaction counts, as the board shows it. */
  @property({ attribute: false }) post!: PostView;
  /** Display names by author id; a missing author shows as "A member". */
  @property({ attribute: false }) members: ReadonlyMap<string, MemberRecord> = new Map();
  /** This device's author id, to mark the viewer's own posts. */
  @property() viewerId = '';
  /** The viewer's post, written while no one was reachable and not yet seen by anyone. */
  @property({ type: Boolean }) unshared = false;
  /** Set when the person asked for less motion in Hearth itself (the media query also applies). */
  @property({ type: Boolean, attribute: 'reduced-motion', reflect: true }) reducedMotion = false;
  /** The viewer may hide and pin posts. */
  @property({ type: Boolean }) facilitator = false;
  /** As many posts are pinned as the board holds. */
  @property({ type: Boolean, attribute: 'pins-full' }) pinsFull = false;
  /** Derived from the post and reflected, so the kind's colours apply to the whole element. */
  @property({ reflect: true }) kind = '';

  @state() private revealed = false;
  /** Reactions and encouragements are shown only once asked for. */
  @state() private opened = false;
  @state() private replyError?: string;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('post')) {
      this.kind = this.post.record.kind;
      const previous = changed.get('post');
      if (previous && previous.record.id !== this.post.record.id) this.revealed = this.opened = false;
    }
  }

  private author(authorId: string) {
    const name = this.members.get(authorId)?.displayName ?? 'A member';
    const twin = [...this.members.values()].some((m) => m.authorId !== authorId && namesClash(m.displayName, name));
    return html`<hearth-author .authorId=${authorId} .name=${name} ?you=${authorId === this.viewerId} ?twin=${twin}></hearth-author>`;
  }

  override render() {
    const { record } = this.post;
    const kind = KIND_LABELS[record.kind];
    const time = timeOf(record.createdAt);
    // My own warned post stays readable to me: I know what it says.
    const mine = record.authorId === this.viewerId && this.viewerId !== '';
    const hidden = record.contentWarning !== undefined && !this.revealed && !mine;
    return html`
      <article part="post" aria-labelledby="heading">
        <header>
          <h3 id="heading">
            <span class="kind"><span aria-hidden="true">${kind.icon}</span> ${kind.one}</span>
            <span>from ${this.author(record.authorId)}</span>
          </h3>
          <hearth-post-menu .post=${this.post} .viewerId=${this.viewerId} ?facilitator=${this.facilitator} ?pins-full=${this.pinsFull}></hearth-post-menu>
          <p class="meta">
            ${this.post.pinned ? html`<span class="badge">Pinned</span>` : null}
            ${this.post.hidden ? html`<span class="badge">Hidden from members</span>` : null}
            ${signatureMark(this.post.verified)}
            ${time ? html`<time datetime=${time.iso}>${time.text}</time>` : null}
            ${this.unshared ? html`<span class="badge">Not yet shared</span>` : null}
          </p>
        </header>
        ${record.contentWarning !== undefined && mine
          ? html`<p class="meta">Content warning shown to others: <bdi>${record.contentWarning}</bdi></p>`
          : null}
        ${record.contentWarning !== undefined && !mine
          ? html`<button
              type="button"
              class="reveal"
              aria-expanded=${this.revealed ? 'true' : 'false'}
              aria-controls="content"
              @click=${() => (this.revealed = !this.revealed)}
            >
              ${this.revealed ? 'Hide post' : 'Show post'} (content warning: <bdi>${record.contentWarning}</bdi>)
            </button>`
          : null}
        <div id="content" class="content" ?hidden=${hidden}>
          ${hidden
            ? null
            : html`${record.milestone
                  ? html`<p><span class="milestone" part="milestone"><span aria-hidden="true">★</span> ${milestoneText(record.milestone)}</span></p>`
                  : null}
                <p class="user-text">${record.body}</p>`}
        </div>
        ${hidden ? null : this.renderResponses()}
      </article>
    `;
  }

  private renderResponses() {
    const reactions = REACTIONS.reduce((sum, reaction) => sum + this.post.reactions[reaction].count, 0);
    const replies = this.post.replies.length;
    return html`<button
        type="button"
        class="toggle"
        aria-expanded=${this.opened ? 'true' : 'false'}
        aria-controls="responses"
        @click=${() => (this.opened = !this.opened)}
      >
        <span aria-hidden="true">▸</span> ${plural(replies, 'encouragement', 'encouragements')} ·
        ${plural(reactions, 'reaction', 'reactions')}
      </button>
      <div id="responses" class="response" ?hidden=${!this.opened}>
        ${this.opened
          ? html`<div class="reactions" role="group" aria-label="Reactions">
                ${REACTIONS.map((reaction) => this.renderReaction(reaction))}
              </div>
              ${this.renderReplies()}`
          : null}
      </div>`;
  }

  private renderReaction(reaction: Reaction) {
    const { count, mine } = this.post.reactions[reaction];
    return html`<button
      type="button"
      aria-pressed=${mine ? 'true' : 'false'}
      @click=${() => this.emit({ type: 'react', postId: this.post.record.id, reaction })}
    >
      ${REACTION_LABELS[reaction]}<span class="vh">,</span> <span class="count">${count}</span>
    </button>`;
  }

  private renderReplies() {
    const { replies } = this.post;
    // A plain container, not a region: one landmark per post would crowd the landmark list.
    return html`<div class="replies">
      <h4>Encouragements${replies.length ? ` (${replies.length})` : ''}</h4>
      ${replies.length
        ? html`<ul>
            ${replies.map(
              ({ record, verified }) => html`<li>
                <p><span class="reply-by">${this.author(record.authorId)}</span> ${signatureMark(verified)}</p>
                <p class="user-text">${record.body}</p>
                ${record.authorId === this.viewerId ? html`<hearth-delete-own kind="reply" .recordId=${record.id}></hearth-delete-own>` : null}
              </li>`,
            )}
          </ul>`
        : null}
      <form class="reply-form" novalidate autocomplete="off" @submit=${this.onReply}>
        <div class="field">
          <label for="reply">Write an encouragement</label>
          <textarea
            id="reply"
            aria-invalid=${this.replyError ? 'true' : 'false'}
            aria-describedby=${ifDefined(this.replyError ? 'reply-error' : undefined)}
            @input=${this.onReplyInput}
          ></textarea>
          ${this.replyError ? html`<p class="error" id="reply-error">${this.replyError}</p>` : null}
        </div>
        <button type="submit">Send encouragement</button>
      </form>
    </div>`;
  }

  /** A shown error goes as soon as the text is fine again. */
  private onReplyInput(event: Event): void {
    if (!this.replyError) return;
    const body = (event.target as HTMLTextAreaElement).value.trim();
    this.replyError = body ? checkLength('An encouragement', body, LIMITS.body) : this.replyError;
  }

  private onReply(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLTextAreaElement>('#reply')!;
    const body = input.value.trim();
    this.replyError = body ? checkLength('An encouragement', body, LIMITS.body) : 'Write a few words first.';
    if (this.replyError) return input.focus();
    this.emit({ type: 'reply', postId: this.post.record.id, body });
    input.value = '';
  }
}

/** Every record shown was signed by its author; only one that failed says so. */
function signatureMark(verified: boolean) {
  return verified ? null : html`<span class="unverified"><span aria-hidden="true">⚠</span> Not verified: this may not be from who it says</span>`;
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-post': HearthPost;
  }
}
