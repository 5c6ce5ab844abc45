// First, so IndexedDB is asked which databases exist, and a returning device fetches its board,
// while the modules below are evaluated.
import { databasesProbe } from './app/databasesProbe.js';
import { loadReturningViews } from '../components/app/returningViews.js';
import '../components/app/hearth-app.js';
import { firstScreen } from './app/firstScreen.js';
import type { AppState, Intent } from './app/state.js';

/**
 * Entry point. The root element with the welcome and lock screens (Lit and a few KiB) is part of
 * this module's static graph, so index.html preloads it beside this module instead of after it;
 * every other view loads when first shown. The app (which pulls in the ~150 KiB libsodium bundle
 * and Yjs) loads after the first screen is painted, through a dynamic import: the welcome and
 * lock screens need neither, and what the person does there waits for the app, in order.
 */
const LOADING: AppState = { status: 'loading', route: { name: 'welcome' }, groups: [], updateAvailable: false };

document.title = 'Hearth';
const host = document.querySelector('hearth-app') as (HTMLElement & { state: AppState }) | null;
if (host) {
  host.state = LOADING;
  const early: Intent[] = [];
  const hold = (event: CustomEvent<Intent>): void => void early.push(event.detail);
  host.addEventListener('hearth-intent', hold);
  // Without a service worker (not installed yet, or a private window), IndexedDB tells.
  const screen = await firstScreen(location, { databases: databasesProbe, onReturning: loadReturningViews });
  if (screen) {
    host.state = screen;
    // That screen paints before the crypto bundle is evaluated (a long task on a slow phone);
    // the bundle loads right after, while the person reads and types.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
  }
  const { startApp } = await import('./app/boot.js');
  host.removeEventListener('hearth-intent', hold);
  const controller = startApp(host, screen);
  for (const intent of early) void controller.dispatch(intent);
}
