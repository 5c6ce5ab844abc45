import { css, html, type PropertyValues } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import type { VenueView } from '../../src/app/state.js';
import { HearthElement } from '../hearth-element.js';
import { qrPath, qrStyles, qrSvg } from '../invite/qr-path.js';
import { theme } from '../theme.js';
import { openCamera, scanQrCodes } from './qrScanner.js';

/**
 * A meeting without internet: show a code for the next person, scan theirs (or the host's),
 * compare the short code, copy or paste a code where there is no camera, see who is linked.
 *
 * @fires hearth-intent - `venue-show-code`, `venue-take-code`, `venue-end`, `navigate` back to the board.
 */
@customElement('hearth-venue')
export class HearthVenue extends HearthElement {
  static override styles = [
    theme,
    qrStyles,
    css`
      video {
        display: block;
        width: min(18rem, 100%);
        border-radius: 0.5rem;
        background: #000;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .row input,
      .row textarea {
        flex: 1 1 12rem;
        min-width: 0;
      }
      .short-code {
        font-size: 1.5rem;
        font-variant-numeric: tabular-nums;
        letter-spacing: 0.1em;
      }
    `,
  ];

  /** The venue screen's state, from the app. */
  @property({ attribute: false }) venue!: VenueView;

  @state() private scanning = false;
  @state() private cameraProblem = '';
  @state() private copyStatus = '';
  @query('video') private video!: HTMLVideoElement | null;
  private scan: { abort: AbortController; stream?: MediaStream } | undefined;
  private qr: ReturnType<typeof qrPath>;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('venue') && this.venue.code?.qr !== changed.get('venue')?.code?.qr) {
      this.qr = this.venue.code ? qrPath(this.venue.code.qr) : undefined;
      this.copyStatus = '';
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stopScanning();
  }

  override render() {
    const { venue } = this;
    const code = venue.code;
    return html`
      <h1 tabindex="-1">Meeting without internet</h1>
      <p>
        Phones connect to each other directly: no internet, no server. Every phone needs Hearth installed and
        <bdi>${venue.groupName}</bdi> on it already, and all must be on the same local network — the venue's Wi-Fi, or
        one phone's hotspot.
      </p>
      ${venue.message ? html`<p class="error" role="alert">${venue.message}</p>` : null}
      ${venue.shortCode
        ? html`<p role="status">Check that both phones show the same code: <strong class="short-code">${venue.shortCode}</strong></p>`
        : null}
      <section aria-labelledby="show-heading">
        <h2 id="show-heading">Let someone in</h2>
        <p class="hint">Show them a code to scan, then scan the code their phone shows back.</p>
        <button class="primary" type="button" ?disabled=${venue.busy} @click=${() => this.emit({ type: 'venue-show-code' })}>
          Show a code to scan
        </button>
      </section>
      ${code ? this.renderCode(code) : null}
      <section aria-labelledby="scan-heading">
        <h2 id="scan-heading">Scan a code</h2>
        ${this.scanning
          ? html`<video muted playsinline aria-label="Camera"></video>
              <button type="button" @click=${this.stopScanning}>Stop scanning</button>`
          : html`<button type="button" ?disabled=${venue.busy} @click=${this.startScanning}>Scan a code</button>`}
        ${this.cameraProblem ? html`<p class="error" role="alert">${this.cameraProblem}</p>` : null}
        <form class="field" @submit=${this.paste}>
          <label for="paste">No camera? Paste a code</label>
          <div class="row">
            <input id="paste" name="code" autocomplete="off" spellcheck="false" />
            <button type="submit" ?disabled=${venue.busy}>Use this code</button>
          </div>
        </form>
      </section>
      <section aria-labelledby="here-heading">
        <h2 id="here-heading">Connected here</h2>
        ${venue.peers.length === 0
          ? html`<p>No one yet.</p>`
          : html`<ul>
              ${venue.peers.map((peer) => html`<li><bdi>${peer.displayName}</bdi> <span class="hint">(code ${peer.shortCode})</span></li>`)}
            </ul>`}
      </section>
      <div class="row">
        <button type="button" @click=${() => this.emit({ type: 'navigate', route: { name: 'board', groupId: venue.groupId } })}>
          Back to the board
        </button>
        <button type="button" @click=${() => this.emit({ type: 'venue-end' })}>End meeting without internet</button>
      </div>
    `;
  }

  private renderCode(code: NonNullable<VenueView['code']>) {
    const qr = this.qr;
    const label = code.kind === 'offer' ? 'Meeting code for them to scan' : 'Answer code for the other phone to scan';
    return html`<section aria-labelledby="code-heading">
      <h2 id="code-heading">${code.kind === 'offer' ? 'Your code' : 'Now show them this code'}</h2>
      ${qr ? qrSvg(qr, label) : null}
      <div class="field">
        <label for="copy">Code as text</label>
        <div class="row">
          <input id="copy" readonly .value=${code.copy} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} />
          <button type="button" @click=${this.copy}>Copy code</button>
        </div>
        <p class="hint" role="status">${this.copyStatus}</p>
      </div>
    </section>`;
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

  private readonly copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(this.venue.code?.copy ?? '');
      this.copyStatus = 'Copied';
    } catch {
      this.renderRoot.querySelector<HTMLInputElement>('#copy')?.select();
      this.copyStatus = "Couldn't copy here. The code is selected: copy it with your device's copy command.";
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'hearth-venue': HearthVenue;
  }
}
