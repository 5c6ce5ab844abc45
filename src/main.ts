import { loadView } from '../components/app/views.js';
import { firstScreen } from './app/firstScreen.js';
import type { AppState, Intent } from './app/state.js';

/**
 * Entry point. First paint is index.html's static "Opening Hearth…" inside <hearth-app>; the
 * root element and the app (which pull in the ~150 KiB libsodium bundle and Yjs) load after it,
 * in parallel, through dynamic imports. The welcome and lock screens need neither: they show as
 * soon as the components are in, and what the person does there waits for the app, in order.
 */
const LOADING: AppState = { status: 'loading', route: { name: 'welcome' }, groups: [], updateAvailable: false };

document.title = 'Hearth';
const host = document.querySelector('hearth-app') as (HTMLElement & { state: AppState }) | null;
if (host) {
  // Set before the element is defined: Lit picks up properties set on an element before its upgrade.
  host.state = LOADING;
  const early: Intent[] = [];
  const hold = (event: CustomEvent<Intent>): void => void early.push(event.detail);
  host.addEventListener('hearth-intent', hold);
  // The root element with the welcome and lock screens; every other view loads when first shown.
  const components = import('../components/app/hearth-app.js');
  // A returning device most likely opens on its board: fetch that view beside the root and the
  // first page, not after them.
  const screen = await firstScreen(location, undefined, () => void loadView('hearth-board'));
  if (screen) {
    await components;
    host.state = screen;
    // That screen paints before the crypto bundle is evaluated (a long task on a slow phone);
    // the bundle loads right after, while the person reads and types.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  }
  const [{ startApp }] = await Promise.all([import('./app/boot.js'), components]);
  host.removeEventListener('hearth-intent', hold);
  const controller = startApp(host, screen);
  for (const intent of early) void controller.dispatch(intent);
}
