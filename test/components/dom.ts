import type { LitElement } from 'lit';
import type { Intent } from '../../src/app/state.js';
import { deepElements } from './queries.js';

/** Puts `el` on the page in a fresh container and waits until it and its children have rendered. */
export async function mount<E extends HTMLElement>(el: E, width?: string): Promise<E> {
  const container = document.createElement('div');
  container.className = 'fixture';
  if (width) container.style.width = width;
  document.body.append(container);
  container.append(el);
  await settle(el);
  return el;
}

/** Waits for every Lit element under `root` (shadow roots included) to finish updating. */
export async function settle(root: Element): Promise<void> {
  for (let pass = 0; pass < 3; pass++) {
    const lit = [root, ...deepElements(root)].filter((el): el is LitElement => 'updateComplete' in el);
    const pending = await Promise.all(lit.map((el) => el.updateComplete));
    if (pending.every(Boolean)) return;
  }
}

export function cleanup(): void {
  for (const el of document.querySelectorAll('.fixture')) el.remove();
  document.documentElement.style.colorScheme = '';
}

/** Collects the intents `el` dispatches. */
export function recordIntents(el: HTMLElement): Intent[] {
  const intents: Intent[] = [];
  el.addEventListener('hearth-intent', (event) => intents.push(event.detail));
  return intents;
}

/** Types into a text field the way a person would: sets the value and fires `input`. */
export function type(field: HTMLElement, text: string): void {
  (field as HTMLInputElement).value = text;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
