import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { CONTACT_LIMITS, type PersonalContact, type SupportScreen } from '../../src/app/supportState.js';
import { LIMITS } from '../../src/model/schema.js';
import { SIGNAL_LIMITS } from '../../src/model/supportSignal.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { timeOf } from '../text.js';
import { checkLength } from '../validation.js';
import { BUILT_IN_LINES, telHref } from './crisisLines.js';

const isDialable = (phone: string): boolean => /^\+?[0-9][0-9 ()-]*$/.test(phone) && (phone.match(/[0-9]/g) ?? []).length >= 3;

/**
 * "Support now": a button on every group screen that opens crisis lines (built in, then the
 * group's own), "I'm struggling" for the members whose app is open now, and the person's own
 * people to call, kept on this device. Everything but the alert works offline.
 *
 * @fires hearth-intent - `support-alert`, `support-alert-end`, `add-crisis-line`, `remove-crisis-line`, `set-contacts`.
 */
@customElement('hearth-support-now')
export class HearthSupportNow extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: inline-block;
      }
      dialog {
        width: min(36rem, calc(100vw - 1rem));
        max-height: calc(100dvh - 1rem);
        border: 1px solid var(--h-border);
        border-radius: 1rem;
        padding: 1rem;
        background: var(--h-bg);
        color: var(--h-text);
      }
      dialog::backdrop {
        background: rgb(0 0 0 / 0.5);
      }
      .head {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem;
      }
      section {
        margin-block: 1rem;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        gap: 0.5rem;
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: 0.25rem 0.75rem;
        background: var(--h-surface);
        border-radius: 0.75rem;
        padding: 0.5rem 0.75rem;
      }
      li p {
        margin: 0;
      }
      a.call {
        font-weight: 700;
        color: var(--h-accent);
        min-height: 2.75rem;
        display: inline-flex;
        align-items: center;
      }
      .sent {
        border-inline-start: 6px solid var(--h-danger);
      }
      .open {
        border-color: var(--h-danger);
        color: var(--h-danger);
        font-weight: 600;
      }
    `,
  ];

  @property({ attribute: false }) support!: SupportScreen;
  @state() private errors: Partial<Record<'line' | 'contact' | 'note', string>> = {};

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  /** Opens the panel (also used by the alert banner's "Support now"). */
  show(): void {
    if (!this.dialog.open) this.dialog.showModal();
  }

  override render() {
    return html`
      <button type="button" class="open" aria-haspopup="dialog" @click=${this.show}>Support now</button>
      <dialog aria-labelledby="support-title">
        <div class="head">
          <h2 id="support-title">Support now</h2>
          <button type="button" @click=${() => this.dialog.close()}>Close</button>
        </div>
        ${this.renderLines()} ${this.renderStruggling()} ${this.renderContacts()}
      </dialog>
    `;
  }

  private renderLines() {
    const { groupLines, canEditLines } = this.support;
    return html`<section aria-labelledby="lines-title">
      <h3 id="lines-title">Crisis lines</h3>
      <p class="hint">If you are in danger now, call your local emergency number.</p>
      <ul aria-label="Built-in crisis lines">
        ${BUILT_IN_LINES.map(
          (line) => html`<li>
            <p><strong>${line.name}</strong><br /><span class="hint">${line.where}</span></p>
            <a class="call" href=${telHref(line.dial)}>Call ${line.phone}</a>
          </li>`,
        )}
      </ul>
      ${groupLines.length || canEditLines ? html`<h4>Lines this group added</h4>` : null}
      ${groupLines.length
        ? html`<ul aria-label="Lines this group added">
            ${groupLines.map(
              (line) => html`<li>
                <p><strong><bdi>${line.name}</bdi></strong>${line.note ? html`<br /><span class="hint user-text">${line.note}</span>` : null}</p>
                <a class="call" href=${telHref(line.phone)}>Call <bdi>${line.phone}</bdi></a>
                ${canEditLines
                  ? html`<button type="button" class="quiet" @click=${() => this.emit({ type: 'remove-crisis-line', id: line.id })}>
                      Remove<span class="vh"> ${line.name}</span>
                    </button>`
                  : null}
              </li>`,
            )}
          </ul>`
        : null}
      ${canEditLines ? this.renderLineForm() : null}
    </section>`;
  }

  private renderLineForm() {
    const error = this.errors.line;
    return html`<form novalidate autocomplete="off" @submit=${this.onAddLine} @input=${() => this.clearError('line')}>
      <div class="field">
        <label for="line-name">Line name</label>
        <input id="line-name" maxlength=${LIMITS.crisisLineName} />
      </div>
      <div class="field">
        <label for="line-phone">Line number</label>
        <input id="line-phone" type="tel" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'line-error' : ''} />
        ${error ? html`<p class="error" id="line-error">${error}</p>` : null}
      </div>
      <div class="field">
        <label for="line-note">Note (optional)</label>
        <input id="line-note" maxlength=${LIMITS.crisisLineNote} />
      </div>
      <button type="submit">Add line for the group</button>
    </form>`;
  }

  private renderStruggling() {
    const { mine } = this.support;
    const error = this.errors.note;
    return html`<section aria-labelledby="struggling-title">
      <h3 id="struggling-title">I'm struggling</h3>
      ${mine
        ? html`<div class="card sent" role="status">
            <p>You told the members here at ${timeOf(mine.sentAt)?.text ?? 'just now'}.</p>
            ${mine.receivedBy.length
              ? html`<p>Received by: <bdi>${mine.receivedBy.join(', ')}</bdi>.</p>`
              : html`<p><strong>Nobody has received it yet:</strong> no one from the group has Hearth open right now. The crisis lines above are there for you, day and night.</p>`}
            ${mine.answers.length
              ? html`<ul aria-label="Answers">
                  ${mine.answers.map(
                    (answer) => html`<li>
                      <p>
                        <strong><bdi>${answer.name}</bdi></strong>:
                        ${answer.kind === 'calling' ? 'is calling you now.' : html`<span class="user-text">${answer.body}</span>`}
                      </p>
                    </li>`,
                  )}
                </ul>`
              : null}
            <button type="button" @click=${() => this.emit({ type: 'support-alert-end' })}>I'm OK now</button>
          </div>`
        : html`<form novalidate autocomplete="off" @submit=${this.onAlert} @input=${() => this.clearError('note')}>
            <p class="hint" id="struggling-hint">
              Tells the members whose Hearth is open right now, sealed so only the group can read it. It is not saved anywhere.
            </p>
            <div class="field">
              <label for="note">A few words (optional)</label>
              <input id="note" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'struggling-hint note-error' : 'struggling-hint'} />
              ${error ? html`<p class="error" id="note-error">${error}</p>` : null}
            </div>
            <button type="submit" class="primary">Tell the members here now</button>
          </form>`}
    </section>`;
  }

  private renderContacts() {
    const { contacts } = this.support;
    const error = this.errors.contact;
    return html`<section aria-labelledby="contacts-title">
      <h3 id="contacts-title">People I can call</h3>
      <p class="hint">Kept on this device only, sealed. Nobody in the group sees this list.</p>
      ${contacts.length
        ? html`<ul aria-label="People I can call">
            ${contacts.map(
              (contact, index) => html`<li>
                <p><strong><bdi>${contact.name}</bdi></strong></p>
                <a class="call" href=${telHref(contact.phone)}>Call <bdi>${contact.name}</bdi></a>
                <button type="button" class="quiet" @click=${() => this.setContacts(contacts.filter((_, i) => i !== index))}>
                  Remove<span class="vh"> ${contact.name}</span>
                </button>
              </li>`,
            )}
          </ul>`
        : null}
      <form novalidate autocomplete="off" @submit=${this.onAddContact} @input=${() => this.clearError('contact')}>
        <div class="field">
          <label for="contact-name">Name</label>
          <input id="contact-name" maxlength=${CONTACT_LIMITS.name} />
        </div>
        <div class="field">
          <label for="contact-phone">Phone number</label>
          <input id="contact-phone" type="tel" aria-invalid=${error ? 'true' : 'false'} aria-describedby=${error ? 'contact-error' : ''} />
          ${error ? html`<p class="error" id="contact-error">${error}</p>` : null}
        </div>
        <button type="submit">Add person</button>
      </form>
    </section>`;
  }

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  }

  private clearError(key: 'line' | 'contact' | 'note'): void {
    if (this.errors[key]) this.errors = { ...this.errors, [key]: undefined };
  }

  private onAlert(event: SubmitEvent): void {
    event.preventDefault();
    const note = this.value('note');
    const error = checkLength('A note', note, SIGNAL_LIMITS.note);
    this.errors = { ...this.errors, note: error };
    if (error) return;
    this.emit({ type: 'support-alert', ...(note ? { note } : {}) });
  }

  private onAddLine(event: SubmitEvent): void {
    event.preventDefault();
    const name = this.value('line-name');
    const phone = this.value('line-phone');
    const note = this.value('line-note');
    const error = !name ? 'Give the line a name.' : !isDialable(phone) || phone.length > LIMITS.phone ? 'Enter a number to dial: digits, spaces, and an optional + at the start.' : undefined;
    this.errors = { ...this.errors, line: error };
    if (error) return;
    this.emit({ type: 'add-crisis-line', name, phone, ...(note ? { note } : {}) });
    (event.target as HTMLFormElement).reset();
  }

  private onAddContact(event: SubmitEvent): void {
    event.preventDefault();
    const name = this.value('contact-name');
    const phone = this.value('contact-phone');
    const error = !name
      ? 'Write their name.'
      : !isDialable(phone) || phone.length > CONTACT_LIMITS.phone
        ? 'Enter a number to dial: digits, spaces, and an optional + at the start.'
        : this.support.contacts.length >= CONTACT_LIMITS.count
          ? `You can keep up to ${CONTACT_LIMITS.count} people here.`
          : undefined;
    this.errors = { ...this.errors, contact: error };
    if (error) return;
    this.setContacts([...this.support.contacts, { name: name.slice(0, CONTACT_LIMITS.name), phone }]);
    (event.target as HTMLFormElement).reset();
  }

  private setContacts(contacts: PersonalContact[]): void {
    this.emit({ type: 'set-contacts', contacts });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-support-now': HearthSupportNow;
  }
}
