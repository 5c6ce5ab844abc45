import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoardScreen } from '../../src/app/state.js';
import type { PostView } from '../../src/model/board.js';
import { POST_KINDS, type PostKind } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import './board-window.js';
import '../composer/hearth-composer.js';
import '../meeting-bar/hearth-meeting-bar.js';
import '../members/hearth-members.js';
import '../post/hearth-post.js';
import '../week/hearth-week.js';
import { disclosure } from '../stack.js';
import { theme } from '../theme.js';
import { FOCUS_LABELS, KIND_LABELS } from '../text.js';

const FILTERS: { value: PostKind | 'all'; label: string }[] = [
  { value: 'all', label: 'All' },
  ...POST_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind].many })),
];

const EMPTY: Record<PostKind | 'all', string> = {
  all: 'Nothing here yet. Share how your week went, or send the group a few kind words.',
  story: 'No stories yet. Yours could be the first.',
  encouragement: 'No encouragements yet. A few kind words can go a long way.',
  victory: 'No victories yet. Small ones count too.',
};

const postKey = (post: PostView): string => post.record.id;

/**
 * A group's board: the meeting bar, the composer, a filter by kind, and the posts, newest first.
 *
 * @fires hearth-intent - `filter`; `navigate` to the invite or back to the groups; and, from
 *   its children, `post`, `react` and `reply`.
 */
@customElement('hearth-board')
export class HearthBoard extends HearthElement {
  static override styles = [
    theme,
    disclosure,
    css`
      :host {
        display: grid;
        gap: 1.25rem;
      }
      .top {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        justify-content: space-between;
      }
      .focus {
        color: var(--h-muted);
        margin: 0;
      }
      details {
        margin-top: 0.5rem;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-bottom: 1rem;
      }
      .filters button {
        border-radius: 999px;
        border-color: var(--h-border);
        padding: 0.3rem 0.9rem;
      }
      .filters button[aria-pressed='true'] {
        background: var(--h-accent);
        border-color: var(--h-accent);
        color: var(--h-on-accent);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) board!: BoardScreen;
  /** Passed to posts: the person asked Hearth itself for less motion. */
  @property({ type: Boolean, attribute: 'reduced-motion' }) reducedMotion = false;

  /** The posts shown, newest first, worked out again only when the posts or the filter change. */
  private shown: { from: readonly PostView[]; filter: PostKind | 'all'; posts: PostView[] } | undefined;

  private shownPosts(): PostView[] {
    const { posts, filter } = this.board;
    if (this.shown?.from !== posts || this.shown.filter !== filter) {
      const kept = posts.filter((post) => filter === 'all' || post.record.kind === filter);
      const newestFirst = (a: PostView, b: PostView): number => b.record.createdAt - a.record.createdAt;
      this.shown = { from: posts, filter, posts: kept.sort((a, b) => Number(b.pinned ?? false) - Number(a.pinned ?? false) || newestFirst(a, b)) };
    }
    return this.shown.posts;
  }

  private renderPost(post: PostView) {
    return html`<hearth-post
      .post=${post}
      .members=${this.board.members}
      .viewerId=${this.board.viewerId}
      ?facilitator=${this.board.facilitators.has(this.board.viewerId)}
      ?pins-full=${this.board.pinsFull}
      ?unshared=${this.board.unshared.has(post.record.id)}
      ?reduced-motion=${this.reducedMotion}
    ></hearth-post>`;
  }

  override render() {
    const { group, filter } = this.board;
    const posts = this.shownPosts();
    return html`
      <div class="top">
        <button type="button" class="quiet" @click=${() => this.emit({ type: 'navigate', route: { name: 'groups' } })}>
          <span aria-hidden="true">←</span> Your groups
        </button>
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'invite', groupId: group.id } })}>
          Invite someone
        </button>
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'venue', groupId: group.id } })}>
          Meeting without internet
        </button>
      </div>
      <div>
        <h1 tabindex="-1"><bdi>${group.name}</bdi></h1>
        ${group.focus ? html`<p class="focus">${FOCUS_LABELS[group.focus]}</p>` : null}
        ${group.guidelines
          ? html`<details>
              <summary>Group guidelines</summary>
              <p class="user-text">${group.guidelines}</p>
            </details>`
          : null}
      </div>
      <hearth-meeting-bar
        .sync=${this.board.sync}
        .presence=${this.board.presence}
        .diagnostics=${this.board.diagnostics}
      ></hearth-meeting-bar>
      ${this.board.week ? html`<hearth-week .board=${this.board}></hearth-week>` : null}
      <hearth-members .membership=${this.board.membership} .groupId=${group.id} .group=${group}></hearth-members>
      <hearth-composer .draft=${this.board.draft} .groupId=${group.id}></hearth-composer>
      <section aria-labelledby="posts-heading">
        <h2 id="posts-heading">The board</h2>
        <div class="filters" role="group" aria-label="Show">
          ${FILTERS.map(
            ({ value, label }) => html`<button
              type="button"
              aria-pressed=${filter === value ? 'true' : 'false'}
              @click=${() => this.emit({ type: 'filter', filter: value })}
            >
              ${label}
            </button>`,
          )}
        </div>
        ${this.board.loading ? html`<p role="status" class="focus">Showing the newest posts while the rest of the board opens…</p>` : null}
        ${this.board.catchingUp
          ? html`<p role="status" class="focus">Catching up with the group: the newest posts show first, each signed by the member who wrote it. The rest of the board is on its way…</p>`
          : null}
        ${posts.length
          ? html`<hearth-board-window
              label=${posts[0]?.pinned ? 'Posts, pinned first, then newest first' : 'Posts, newest first'}
              .items=${posts}
              .keyOf=${postKey}
              .renderItem=${(post: PostView) => this.renderPost(post)}
            ></hearth-board-window>`
          : this.board.caughtUp
            ? html`<p>${EMPTY[filter]}</p>`
            : html`<p role="status">Catching up with the group… Posts appear once someone from the group is online.</p>`}
      </section>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-board': HearthBoard;
  }
}
