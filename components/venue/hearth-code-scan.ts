import { css, html } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { HearthElement } from '../hearth-element.js';
import { theme } from '../theme.js';
import { venueStyles } from './venueStyles.js';
import { openCamera, scanQrCodes } from './qrScanner.js';

/**
 * Reading the other phone's venue code: the camera (a button, then the video until a QR code is
 * read), or a code pasted as text where there is no camera. Used by the member's venue screen
 * and by a newcomer joining at the meeting.
 *
 * @fires hearth-intent - `venue-take-code` with the text read and where it came from.
 */
@customElement('hearth-code-scan')
export class HearthCodeScan extends HearthElement {
  static override styles = [
    theme,
    venueStyles,
    css`
      video {
        display: block;
        width: min(18rem, 100%);
        border-radius: 0.5rem;
        background: #000;
      }
    `,
  ];

  /** A code is being taken now: the buttons wait. */
  @property({ type: Boolean }) busy = false;

  @state() private scanning = false;
  @state() private cameraProblem = '';
  @query('video') private video!: HTMLVideoElement | null;
  private scan: { abort: AbortController; stream?: MediaStream } | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopScanning();
  }

  override render() {
    return html`${this.scanning
        ? html`<video muted playsinline aria-label="Camera"></video>
            <button type="button" @click=${this.stopScanning}>Stop scanning</button>`
        : html`<button type="button" ?disabled=${this.busy} @click=${this.startScanning}>Scan a code</button>`}
      ${this.cameraProblem ? html`<p class="error" role="alert">${this.cameraProblem}</p>` : null}
      <form class="field" @submit=${this.paste}>
        <label for="paste">No camera? Paste a code</label>
        <div class="row">
          <input id="paste" name="code" autocomplete="off" spellcheck="false" />
          <button type="submit" ?disabled=${this.busy}>Use this code</button>
        </div>
      </form>`;
  }

  private readonly startScanning = async (): Promise<void> => {
    this.cameraProblem = '';
    const abort = new AbortController();
    this.scan = { abort };
    this.scanning = true;
    try {
      const stream = await openCamera();
      if (abort.signal.aborted) return stream.getTracks().forEach((track) => track.stop());
      this.scan.stream = stream;
      await this.updateComplete;
      const video = this.video;
      if (!video) return this.stopScanning();
      video.srcObject = stream;
      await video.play();
      await scanQrCodes(
        video,
        (text) => {
          this.emit({ type: 'venue-take-code', text, from: 'camera' });
          return true;
        },
        abort.signal,
      );
    } catch {
      this.cameraProblem = 'Hearth could not use the camera here. Paste the code instead.';
    }
    if (this.scan?.abort === abort) this.stopScanning();
  };

  private readonly stopScanning = (): void => {
    this.scan?.abort.abort();
    this.scan?.stream?.getTracks().forEach((track) => track.stop());
    this.scan = undefined;
    this.scanning = false;
  };

  private readonly paste = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#paste')!;
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    this.emit({ type: 'venue-take-code', text, from: 'paste' });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-code-scan': HearthCodeScan;
  }
}
