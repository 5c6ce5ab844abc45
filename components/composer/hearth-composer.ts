import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import type { Draft } from '../../src/app/supportState.js';
import { LIMITS, MILESTONE_UNITS, POST_KINDS, type Milestone, type MilestoneUnit, type PostKind } from '../../src/model/schema.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { KIND_LABELS, formatCount, unitLabel } from '../text.js';
import { checkLength } from '../validation.js';

type Errors = Partial<Record<'body' | 'contentWarning' | 'milestone', string>>;

const PROMPTS: Record<PostKind, string> = {
  story: 'What happened, and what helped?',
  encouragement: 'A few kind words for the group.',
  victory: 'Something to celebrate — big or small.',
};

/** A draft is saved this long after its first unsaved change (bounded, not postponed by typing). */
const DRAFT_SAVE_DELAY_MS = 500;

/**
 * Writing a post: its kind, the text, an optional content warning, and a milestone for
 * victories. Folded to one line until tapped. Checks the board's limits in plain words (each
 * message goes once it is fixed), keeps a draft for the group until it is posted or discarded,
 * and says "Shared" in a status region once a post is sent.
 *
 * @fires hearth-intent - `post`; `save-draft` (a draft, or null to discard it).
 * @csspart form - the composer form.
 */
@customElement('hearth-composer')
export class HearthComposer extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .legend {
        font-weight: 600;
        margin: 0;
      }
      .kinds {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .kinds label {
        display: inline-flex;
        gap: 0.4rem;
        align-items: center;
        padding: 0.4rem 0.8rem;
        border: 2px solid var(--h-border);
        border-radius: 999px;
        font-weight: 400;
        cursor: pointer;
      }
      .kinds label:has(:checked) {
        border-color: var(--h-accent);
        font-weight: 600;
      }
      .milestone {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .milestone .field {
        flex: 1 1 8rem;
      }
      .open {
        width: 100%;
        text-align: start;
        border-color: var(--h-border);
        color: var(--h-muted);
      }
      .shared {
        margin: 0.5rem 0 0;
        color: var(--h-encouragement);
        font-weight: 600;
      }
      .shared:empty {
        display: none;
      }
    `,
  ];

  /** The group's saved draft: filled in when the composer opens, until the person has typed. */
  @property({ attribute: false }) draft?: Draft;
  /** The group the composer writes to: a new one starts folded, from that group's draft. */
  @property() groupId = '';

  @state() private kind: PostKind = 'story';
  @state() private errors: Errors = {};
  @state() private expanded = false;
  @state() private confirmation = '';
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private filled = false;

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('groupId') && changed.get('groupId') !== undefined) {
      this.expanded = false;
      this.filled = false;
      this.confirmation = '';
    }
    // A draft arriving while folded is a post the app could not share, handed back: it was not shared.
    if (changed.has('draft') && this.draft && !this.expanded) this.confirmation = '';
    // Opening with a draft: its kind decides which fields render (set before this render).
    if (changed.has('expanded') && this.expanded && !this.filled && this.draft) this.kind = this.draft.kind;
  }

  protected override updated(): void {
    if (!this.expanded || this.filled) return;
    this.filled = true;
    const draft = this.draft;
    if (draft) {
      this.field<HTMLTextAreaElement>('body')!.value = draft.body;
      this.field<HTMLInputElement>('cw')!.value = draft.contentWarning ?? '';
      const milestone = this.field<HTMLInputElement>('milestone');
      if (milestone && draft.milestoneValue) milestone.value = draft.milestoneValue;
      const unit = this.field<HTMLSelectElement>('unit');
      if (unit && draft.milestoneUnit) unit.value = draft.milestoneUnit;
    }
    this.field<HTMLTextAreaElement>('body')!.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.saveTimer);
  }

  override render() {
    const status = html`<p class="shared" role="status">${this.confirmation}</p>`;
    if (!this.expanded) {
      return html`<div class="card">
        <h2 id="compose-title" class="vh">Share with the group</h2>
        <button type="button" class="open" aria-describedby="compose-title" @click=${this.open}>
          ${this.draft ? 'Continue your draft…' : 'Write a post…'}
        </button>
        ${status}
      </div>`;
    }
    const { body, contentWarning, milestone } = this.errors;
    return html`
      <form
        part="form"
        class="card"
        novalidate
        autocomplete="off"
        aria-labelledby="compose-title"
        @submit=${this.onSubmit}
        @input=${this.onInput}
        @change=${this.onInput}
        @focusout=${this.saveNow}
      >
        <h2 id="compose-title">Share with the group</h2>
        <div class="field">
          <p class="legend" id="kind-legend">What kind of post?</p>
          <div class="kinds" role="radiogroup" aria-labelledby="kind-legend">
            ${POST_KINDS.map(
              (kind) => html`<label>
                <input
                  type="radio"
                  name="kind"
                  value=${kind}
                  .checked=${live(this.kind === kind)}
                  @change=${() => (this.kind = kind)}
                />
                <span aria-hidden="true">${KIND_LABELS[kind].icon}</span> ${KIND_LABELS[kind].one}
              </label>`,
            )}
          </div>
        </div>
        <div class="field">
          <label for="body">Your post</label>
          <p class="hint" id="body-hint">${PROMPTS[this.kind]}</p>
          <textarea
            id="body"
            aria-invalid=${body ? 'true' : 'false'}
            aria-describedby=${body ? 'body-hint body-error' : 'body-hint'}
          ></textarea>
          ${body ? html`<p class="error" id="body-error">${body}</p>` : null}
        </div>
        ${this.kind === 'victory'
          ? html`<div class="milestone">
              <div class="field">
                <label for="milestone">Milestone (optional)</label>
                <input
                  id="milestone"
                  type="number"
                  inputmode="numeric"
                  min="0"
                  max=${LIMITS.milestone}
                  step="1"
                  aria-invalid=${milestone ? 'true' : 'false'}
                  aria-describedby=${milestone ? 'milestone-error' : 'milestone-hint'}
                />
              </div>
              <div class="field">
                <label for="unit">Milestone unit</label>
                <select id="unit">
                  ${MILESTONE_UNITS.map((unit) => html`<option value=${unit}>${unitLabel(unit)}</option>`)}
                </select>
              </div>
            </div>
            ${milestone
              ? html`<p class="error" id="milestone-error">${milestone}</p>`
              : html`<p class="hint" id="milestone-hint">For example 30 days, or 1 year.</p>`}`
          : null}
        <div class="field">
          <label for="cw">Content warning (optional)</label>
          <input
            id="cw"
            aria-invalid=${contentWarning ? 'true' : 'false'}
            aria-describedby=${contentWarning ? 'cw-hint cw-error' : 'cw-hint'}
          />
          <p class="hint" id="cw-hint">If your post touches something hard, name it here. Others tap to see the post.</p>
          ${contentWarning ? html`<p class="error" id="cw-error">${contentWarning}</p>` : null}
        </div>
        <div class="actions">
          <button class="primary" type="submit">Share</button>
          <button type="button" @click=${this.fold}>Not now</button>
          ${this.draft ? html`<button type="button" class="quiet" @click=${this.discard}>Discard draft</button>` : null}
        </div>
      </form>
      ${status}
    `;
  }

  private open(): void {
    this.confirmation = '';
    this.expanded = true;
  }

  /** Folds the composer; what was typed stays as the draft. */
  private fold(): void {
    this.saveNow();
    this.expanded = false;
    this.filled = false;
  }

  private discard(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.emit({ type: 'save-draft', draft: null });
    this.clear();
  }

  /** Each change: a message shown goes once it is fixed, and a draft save is due. */
  private onInput(): void {
    if (this.errors.body || this.errors.contentWarning || this.errors.milestone) this.errors = this.check().errors;
    this.saveTimer ??= setTimeout(() => this.saveNow(), DRAFT_SAVE_DELAY_MS);
  }

  private saveNow(): void {
    if (this.saveTimer === undefined) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    const body = this.field<HTMLTextAreaElement>('body');
    if (!body) return;
    const warning = this.field<HTMLInputElement>('cw')!.value;
    const milestone = this.field<HTMLInputElement>('milestone')?.value;
    const unit = this.field<HTMLSelectElement>('unit')?.value as MilestoneUnit | undefined;
    const empty = !body.value.trim() && !warning.trim() && !milestone;
    this.emit({
      type: 'save-draft',
      draft: empty
        ? null
        : {
            kind: this.kind,
            body: body.value,
            ...(warning ? { contentWarning: warning } : {}),
            ...(milestone ? { milestoneValue: milestone, ...(unit ? { milestoneUnit: unit } : {}) } : {}),
          },
    });
  }

  private field<T extends HTMLElement>(id: string): T | null {
    return this.renderRoot.querySelector<T>(`#${id}`);
  }

  /** The form's values checked against the board's limits. */
  private check() {
    const body = this.field<HTMLTextAreaElement>('body')!;
    const cw = this.field<HTMLInputElement>('cw')!;
    const milestoneInput = this.field<HTMLInputElement>('milestone');
    const text = body.value.trim();
    const warning = cw.value.trim();
    const milestone = milestoneInput ? readMilestone(milestoneInput, this.field<HTMLSelectElement>('unit')!) : undefined;
    const errors: Errors = {
      body: text ? checkLength('A post', text, LIMITS.body) : 'Write something to share first.',
      contentWarning: checkLength('A content warning', warning, LIMITS.contentWarning),
      milestone: typeof milestone === 'string' ? milestone : undefined,
    };
    return { body, cw, milestoneInput, text, warning, milestone, errors };
  }

  private onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    const { body, cw, milestoneInput, text, warning, milestone, errors } = this.check();
    this.errors = errors;
    if (this.errors.body) return body.focus();
    if (this.errors.milestone) return milestoneInput!.focus();
    if (this.errors.contentWarning) return cw.focus();
    this.emit({
      type: 'post',
      kind: this.kind,
      body: text,
      ...(warning ? { contentWarning: warning } : {}),
      ...(milestone && typeof milestone !== 'string' ? { milestone } : {}),
    });
    this.clear();
    this.confirmation = 'Shared with the group.';
  }

  /** Empties and folds the composer (the app forgets the draft once the post is saved). */
  private clear(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.renderRoot.querySelector('form')?.reset();
    this.kind = 'story';
    this.errors = {};
    this.expanded = false;
    this.filled = false;
    // The button that had focus is gone: keep focus in the composer for keyboard users.
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.open')?.focus());
  }
}

/** The milestone the fields describe, undefined when left empty, or a message when it can't be one. */
function readMilestone(value: HTMLInputElement, unit: HTMLSelectElement): Milestone | string | undefined {
  if (value.value.trim() === '' && !value.validity.badInput) return undefined;
  const number = Number(value.value);
  if (!Number.isInteger(number) || number < 0 || number > LIMITS.milestone) {
    return `A milestone is a whole number from 0 to ${formatCount(LIMITS.milestone)}.`;
  }
  return { value: number, unit: unit.value as MilestoneUnit };
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-composer': HearthComposer;
  }
}
