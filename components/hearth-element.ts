import { LitElement } from 'lit';
import { intentEvent, type Intent } from '../src/app/state.js';
import { lastInputWasKeyboard } from './inputModality.js';

/**
 * What every Hearth element shares: one way out (`emit`, a bubbling, composed
 * `hearth-intent` event) and a way for the app to move focus to a view's heading after
 * navigation, so screen-reader users hear where they landed.
 */
export class HearthElement extends LitElement {
  protected emit(intent: Intent): void {
    this.dispatchEvent(intentEvent(intent));
  }

  /**
   * Moves focus to the view's main heading (rendered with tabindex="-1"), if it has one; its
   * focus ring shows only when the keyboard brought the person here.
   */
  focusHeading(): void {
    const heading = this.renderRoot.querySelector<HTMLElement>('h1');
    heading?.classList.toggle('no-ring', !lastInputWasKeyboard());
    heading?.focus();
  }
}
