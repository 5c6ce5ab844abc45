import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoardScreen, PresentMemberView, SyncView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { formatCount, plural } from '../text.js';

/** The sync state in plain words: always visible, never a bare icon. */
export function syncText(sync: SyncView): string {
  switch (sync.state) {
    case 'offline':
      return 'Offline — your posts are kept on this device';
    case 'connecting':
      return 'Connecting…';
    case 'connected':
      return `Connected to ${plural(sync.peers, 'person', 'people')} — syncing…`;
    case 'up-to-date':
      return sync.peers > 0 ? `Up to date with ${plural(sync.peers, 'person', 'people')}` : 'Up to date';
  }
}

export function rejectedText(rejected: number): string {
  return rejected === 1
    ? "1 piece of data from the network couldn't be verified and was ignored. Your board is safe."
    : `${formatCount(rejected)} pieces of data from the network couldn't be verified and were ignored. Your board is safe.`;
}

/** One line per refusal code, most frequent first: what the connection details list. */
export function diagnosticLines(diagnostics: BoardScreen['diagnostics']): string[] {
  const lines = Object.entries(diagnostics.rejectedByCode)
    .filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([code, count]) => `Refused (${code}): ${formatCount(count)}`);
  if (diagnostics.waiting > 0) lines.push(`Waiting for earlier changes: ${formatCount(diagnostics.waiting)}`);
  for (const name of diagnostics.forked) lines.push(`${name}'s device sent two versions of one change; one was kept`);
  return lines;
}

/**
 * The meeting bar: how this device is syncing, who is here now, a calm warning when data from
 * the network was refused, and the details of what was refused, by code.
 *
 * @csspart status - the sync state line.
 */
@customElement('hearth-meeting-bar')
export class HearthMeetingBar extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .bar {
        background: var(--h-surface-2);
        border-radius: 1rem;
        padding: 0.75rem 1rem;
        display: grid;
        gap: 0.35rem;
      }
      .state {
        font-weight: 600;
        margin: 0;
      }
      .dot {
        display: inline-block;
        width: 0.7rem;
        height: 0.7rem;
        border-radius: 50%;
        margin-inline-end: 0.4rem;
        border: 2px solid var(--h-muted);
      }
      .dot.live {
        background: var(--h-encouragement);
        border-color: var(--h-encouragement);
      }
      .here {
        margin: 0;
      }
      .here ul {
        display: inline;
        padding: 0;
        margin: 0;
        list-style: none;
      }
      .here li {
        display: inline;
      }
      .here li:not(:last-child)::after {
        content: ', ';
      }
      .rejected {
        margin: 0;
        color: var(--h-danger);
      }
      details ul {
        margin: 0.35rem 0 0;
        padding-inline-start: 1.25rem;
      }
      summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
      }
    `,
  ];

  @property({ attribute: false }) sync: SyncView = { state: 'offline', peers: 0, rejected: 0 };
  /** Members in the meeting now (other devices), by display name. */
  @property({ attribute: false }) presence: PresentMemberView[] = [];
  /** What this device refused or waits for; shown on request, by code. */
  @property({ attribute: false }) diagnostics: BoardScreen['diagnostics'] = { rejectedByCode: {}, waiting: 0, forked: [] };

  override render() {
    const live = this.sync.state === 'connected' || this.sync.state === 'up-to-date';
    return html`
      <section class="bar" aria-label="Meeting">
        <p class="state" part="status" role="status">
          <span class="dot ${live ? 'live' : ''}" aria-hidden="true"></span>${syncText(this.sync)}
        </p>
        <div class="here">
          ${this.presence.length
            ? html`Here now:
                <ul aria-label="Here now">
                  ${this.presence.map((member) => html`<li><bdi>${member.displayName}</bdi></li>`)}
                </ul>`
            : 'No one else is here right now.'}
        </div>
        <p class="rejected" role="status">${this.sync.rejected > 0 ? rejectedText(this.sync.rejected) : null}</p>
        ${this.renderDetails()}
      </section>
    `;
  }

  private renderDetails() {
    const lines = diagnosticLines(this.diagnostics);
    if (lines.length === 0) return null;
    return html`<details>
      <summary>Connection details</summary>
      <ul aria-label="Connection details">
        ${lines.map((line) => html`<li>${line}</li>`)}
      </ul>
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-meeting-bar': HearthMeetingBar;
  }
}
