/**
 * Whether the person's last input was the keyboard. A view's heading takes focus after
 * navigation (for screen readers); its focus ring shows only when the keyboard moved it there.
 */
let keyboard = false;
if (typeof document !== 'undefined') {
  document.addEventListener('keydown', () => (keyboard = true), { capture: true });
  document.addEventListener('pointerdown', () => (keyboard = false), { capture: true });
}

export function lastInputWasKeyboard(): boolean {
  return keyboard;
}
