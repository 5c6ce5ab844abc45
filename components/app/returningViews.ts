import { loadFirstPageReader } from '../../src/app/firstScreen.js';
import { loadView } from './views.js';

/**
 * What a returning device most likely opens on: its board's view and the first page's reader.
 * Fetched as soon as the device is known or likely to be one, beside the root element rather
 * than after it. Once is enough: both loads are shared by every later call.
 */
export function loadReturningViews(): void {
  void loadView('hearth-board').catch(() => undefined);
  void loadFirstPageReader().catch(() => undefined);
}

// A page Hearth's service worker controls is on a device where Hearth was installed: start at
// once, while Lit and the root element are evaluated (src/main.ts imports this module ahead of
// them, and vite.config.ts keeps it out of Lit's chunk), before IndexedDB has answered.
if (navigator.serviceWorker?.controller) loadReturningViews();
