import type { AppState } from './app/state.js';

/**
 * Entry point. First paint is index.html's static "Opening Hearth…" inside <hearth-app>; the
 * components and the app (which pull in the ~150 KiB libsodium bundle) load after it, in
 * parallel, through dynamic imports.
 */
const LOADING: AppState = { status: 'loading', route: { name: 'welcome' }, groups: [], updateAvailable: false };

document.title = 'Hearth';
const host = document.querySelector('hearth-app') as (HTMLElement & { state: AppState }) | null;
if (host) {
  // Set before the element is defined: Lit picks up properties set on an element before its upgrade.
  host.state = LOADING;
  const [{ startApp }] = await Promise.all([import('./app/boot.js'), import('../components/index.js')]);
  startApp(host);
}
