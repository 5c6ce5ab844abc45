import { html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { qrPath, qrStyles, qrSvg } from '../invite/qr-path.js';
import { theme } from '../theme.js';
import { venueStyles } from './venueStyles.js';

/**
 * A venue code for the other phone: drawn as a QR code on this device, and as text to copy
 * where there is no camera.
 */
@customElement('hearth-venue-code')
export class HearthVenueCode extends HearthElement {
  static override styles = [
    theme,
    venueStyles,
    qrStyles,
  ];

  /** The code's QR text (base45) and its copy text, from the app. */
  @property({ attribute: false }) code!: { qr: string; copy: string };
  /** The QR image's accessible name. */
  @property() label = '';

  @state() private copyStatus = '';
  private qr: ReturnType<typeof qrPath>;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('code') && this.code.qr !== changed.get('code')?.qr) {
      this.qr = qrPath(this.code.qr);
      this.copyStatus = '';
    }
  }

  override render() {
    return html`${this.qr ? qrSvg(this.qr, this.label) : null}
      <div class="field">
        <label for="copy">Code as text</label>
        <div class="row">
          <input id="copy" readonly .value=${this.code.copy} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          <button type="button" @click=${this.copy}>Copy code</button>
        </div>
        <p class="hint" role="status">${this.copyStatus}</p>
      </div>`;
  }

  private readonly copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(this.code.copy);
      this.copyStatus = 'Copied';
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>('#copy')?.select();
      this.copyStatus = "Couldn't copy here. The code is selected: copy it with your device's copy command.";
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-venue-code': HearthVenueCode;
  }
}
