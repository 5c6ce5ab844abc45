import { css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { IncomingAlert } from '../../src/app/supportState.js';
import { SIGNAL_LIMITS } from '../../src/model/supportSignal.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { timeOf } from '../text.js';
import { checkLength } from '../validation.js';

/**
 * Alerts from members whose app is open now, shown above the group's screen and announced:
 * who is struggling, their words, and two ways to answer (a short reply, or "I'm calling you").
 *
 * @fires hearth-intent - `support-answer`.
 */
@customElement('hearth-support-alerts')
export class HearthSupportAlerts extends HearthElement {
  static override styles = [
    theme,
    css`
      :host {
        display: block;
      }
      .alert {
        border: 2px solid var(--h-danger);
        background: var(--h-danger-bg);
        border-radius: 1rem;
        padding: 1rem;
        display: grid;
        gap: 0.5rem;
      }
      .alert + .alert {
        margin-top: 0.75rem;
      }
      h2 {
        margin: 0;
      }
      form {
        display: grid;
        gap: 0.5rem;
      }
    `,
  ];

  @property({ attribute: false }) incoming: readonly IncomingAlert[] = [];
  @state() private errors: Record<string, string | undefined> = {};

  override render() {
    return html`<div role="alert">${this.incoming.map((alert) => this.renderAlert(alert))}</div>`;
  }

  private renderAlert(alert: IncomingAlert) {
    const key = `${alert.authorId}/${alert.alertId}`;
    const error = this.errors[key];
    const field = `reply-${alert.alertId}`;
    return html`<section class="alert" aria-labelledby="title-${alert.alertId}">
      <h2 id="title-${alert.alertId}"><bdi>${alert.name}</bdi> is struggling right now</h2>
      ${alert.note ? html`<p class="user-text">${alert.note}</p>` : null}
      <p class="hint">Sent ${timeOf(alert.sentAt)?.text ?? 'just now'}. Only members whose Hearth is open see this.</p>
      ${alert.answered.length
        ? html`<p><strong>You answered${alert.answered.includes('calling') ? ': you are calling them' : ''}.</strong></p>`
        : null}
      <div class="actions">
        <button
          type="button"
          class="primary"
          aria-label="I'm calling you, ${alert.name}"
          @click=${() => this.emit({ type: 'support-answer', to: alert.authorId, alertId: alert.alertId, kind: 'calling' })}
        >
          I'm calling you
        </button>
      </div>
      <form novalidate autocomplete="off" @submit=${(event: SubmitEvent) => this.onReply(event, alert, key, field)}>
        <label for=${field}>Reply to <bdi>${alert.name}</bdi></label>
        <input
          id=${field}
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${error ? `${field}-error` : ''}
          @input=${() => error && (this.errors = { ...this.errors, [key]: undefined })}
        />
        ${error ? html`<p class="error" id="${field}-error">${error}</p>` : null}
        <button type="submit">Send reply</button>
      </form>
    </section>`;
  }

  private onReply(event: SubmitEvent, alert: IncomingAlert, key: string, field: string): void {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>(`#${field}`)!;
    const body = input.value.trim();
    const error = body ? checkLength('A reply', body, SIGNAL_LIMITS.answer) : 'Write a few words first.';
    this.errors = { ...this.errors, [key]: error };
    if (error) return input.focus();
    this.emit({ type: 'support-answer', to: alert.authorId, alertId: alert.alertId, kind: 'reply', body });
    input.value = '';
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-support-alerts': HearthSupportAlerts;
  }
}
