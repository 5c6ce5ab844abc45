import { generate } from 'lean-qr';

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
