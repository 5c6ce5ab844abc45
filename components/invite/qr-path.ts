import { generate } from 'lean-qr';
import { css, html } from 'lit';

/** Quiet zone around the code, in modules, as the QR standard asks. */
const QUIET = 4;

/**
 * A QR code as one SVG path over a grid of modules (1 unit each), drawn locally: the link
 * holds the group's key and must never go to a QR web service. Returns the grid size and the
 * path data for the dark modules, or undefined when the text cannot fit in a QR code.
 */
export function qrPath(text: string): { size: number; d: string } | undefined {
  let code;
  try {
    code = generate(text);
  } catch {
    // lean-qr throws when the data is too long for any QR version.
    return undefined;
  }
  let d = '';
  for (let y = 0; y < code.size; y++) {
    for (let x = 0; x < code.size; x++) if (code.get(x, y)) d += `M${x} ${y}h1v1h-1z`;
  }
  return { size: code.size, d };
}

/** The `.qr` class of `qrSvg`: dark on light in dark mode too, or it does not scan. */
export const qrStyles = css`
  .qr {
    display: block;
    width: min(16rem, 100%);
    height: auto;
    margin: 1rem 0;
    background: #ffffff;
    border-radius: 0.5rem;
  }
`;

/** A QR code from `qrPath` as an SVG image named `label`, with its quiet zone. */
export function qrSvg(qr: { size: number; d: string }, label: string) {
  const span = qr.size + 2 * QUIET;
  return html`<svg part="qr" class="qr" role="img" aria-label=${label} viewBox="${-QUIET} ${-QUIET} ${span} ${span}" shape-rendering="crispEdges">
    <rect x=${-QUIET} y=${-QUIET} width=${span} height=${span} fill="#ffffff" />
    <path d=${qr.d} fill="#000000" />
  </svg>`;
}
