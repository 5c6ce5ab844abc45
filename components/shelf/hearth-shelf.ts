import { css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { BoardScreen } from '../../src/app/state.js';
import { TECHNIQUE_CATEGORIES, TECHNIQUE_LIMITS, type TechniqueCategory } from '../../src/model/technique.js';
import { HearthElement } from '../hearth-element.js';
import { plural } from '../text.js';
import { backToBoard, cardList, stackedView } from '../stack.js';

export const CATEGORY_LABELS: Record<TechniqueCategory, string> = {
  craving: 'Cravings',
  stress: 'Stress',
  sleep: 'Sleep',
  people: 'People',
  other: 'Other',
};

/**
 * The coping shelf: techniques members found helpful, most "this helped me too" first, and a
 * form to add one. It reads from the board on this device, so it opens offline too.
 *
 * @fires hearth-intent - `add-technique`, `mark-helped`, `navigate` back to the board.
 */
@customElement('hearth-shelf')
export class HearthShelf extends HearthElement {
  static override styles = [
    stackedView,
    cardList,
    css`
      .category {
        color: var(--h-muted);
        margin: 0 0 0.25rem;
      }
      button[aria-pressed='true'] {
        background: var(--h-accent);
        color: var(--h-on-accent);
      }
    `,
  ];

  @property({ attribute: false }) board!: BoardScreen;

  override render() {
    const shelf = this.board.week?.shelf ?? [];
    return html`
      ${backToBoard(this.board.group.id, (intent) => this.emit(intent))}
      <h1 tabindex="-1">Coping shelf</h1>
      <p>What helped members of this group. Try what fits; leave what doesn't.</p>
      ${shelf.length
        ? html`<ol aria-label="Techniques, most helpful first">
            ${shelf.map(({ record, helped, mine }) => {
              const own = record.authorId === this.board.viewerId;
              return html`<li class="card">
                <h2><bdi>${record.title}</bdi></h2>
                <p class="category">${CATEGORY_LABELS[record.category]} · ${plural(helped, 'person', 'people')} found this helpful too</p>
                <p class="user-text">${record.body}</p>
                ${own
                  ? null
                  : html`<button type="button" aria-pressed=${mine ? 'true' : 'false'} @click=${() => this.emit({ type: 'mark-helped', techniqueId: record.id })}>
                      This helped me too<span class="vh">: ${record.title}</span>
                    </button>`}
              </li>`;
            })}
          </ol>`
        : html`<p>The shelf is empty. What helps you through a hard moment?</p>`}
      <section class="card" aria-labelledby="add-technique-heading">
        <h2 id="add-technique-heading">Add something that helps</h2>
        <form autocomplete="off" @submit=${this.add}>
          <div class="field">
            <label for="technique-title">Title</label>
            <input id="technique-title" name="title" maxlength=${TECHNIQUE_LIMITS.title} required />
          </div>
          <div class="field">
            <label for="technique-body">A few lines about it</label>
            <textarea id="technique-body" name="body" maxlength=${TECHNIQUE_LIMITS.body} required></textarea>
          </div>
          <div class="field">
            <label for="technique-category">Helps with</label>
            <select id="technique-category" name="category">
              ${TECHNIQUE_CATEGORIES.map((c) => html`<option value=${c}>${CATEGORY_LABELS[c]}</option>`)}
            </select>
          </div>
          <button class="primary" type="submit">Add to the shelf</button>
        </form>
      </section>
    `;
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.emit({
      type: 'add-technique',
      title: String(data.get('title') ?? ''),
      body: String(data.get('body') ?? ''),
      category: String(data.get('category')) as TechniqueCategory,
    });
    form.reset();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-shelf': HearthShelf;
  }
}
