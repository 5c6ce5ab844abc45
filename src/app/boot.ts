import { ready } from '../../crypto/index.js';
import { openHearthStore, type HearthSettings, type HearthStore } from '../store/index.js';
import { loadSyncConfig, type SyncConfig } from '../sync/config.js';
import { GroupSession } from '../sync/groupSession.js';
import { AppController } from './controller.js';
import type { AppDeps, StorePort } from './ports.js';
import { registerServiceWorker } from './serviceWorker.js';
import type { AppState } from './state.js';

/**
 * The real wiring: libsodium, IndexedDB, y-webrtc and the page. main.ts loads this module
 * with a dynamic import, so the first paint never waits for the crypto bundle.
 */

/** HearthStore as the controller's StorePort. */
function storePort(store: HearthStore): StorePort {
  // Settings keys beyond HearthSettings (per-group unshared ids) are sealed and stored the same way.
  type Key = keyof HearthSettings;
  return {
    loadDevice: () => store.loadDevice(),
    saveDevice: (device) => store.saveDevice(device),
    listGroups: () => store.listGroups(),
    saveGroup: (group) => store.saveGroup(group),
    deleteGroup: (id) => store.deleteGroup(id),
    envelopes: (id) => store.envelopes(id),
    loadLegacyLog: (id) => store.loadLegacyLog(id),
    deleteLegacyLog: (id) => store.deleteLegacyLog(id),
    getSetting: (key) => store.getSetting(key as Key),
    setSetting: (key, value) => store.setSetting(key as Key, value as HearthSettings[Key]),
    onError: (listener) => store.on('error', listener),
  };
}

/** Starts the app inside `host` (the <hearth-app> element) and returns its controller. */
export function startApp(host: HTMLElement & { state: AppState }): AppController {
  const serviceWorker = 'serviceWorker' in navigator ? registerServiceWorker() : undefined;
  let config: SyncConfig | undefined;
  const deps: AppDeps = {
    ready: () =>
      Promise.all([
        ready(),
        loadSyncConfig().then((loaded) => {
          config = loaded;
        }),
      ]),
    openStore: async () => {
      const opened = await openHearthStore();
      return opened.ok ? { ok: true, value: storePort(opened.value) } : opened;
    },
    createSession: (options) => new GroupSession({ ...options, config: config! }),
    location: window.location,
    clearFragment: () => history.replaceState(null, '', location.pathname + location.search),
    schedule: (task) => requestAnimationFrame(() => task()),
    warn: (code) => console.warn(`hearth: ${code}`),
    ...(serviceWorker
      ? { onUpdateAvailable: serviceWorker.onUpdateAvailable, applyUpdate: serviceWorker.applyUpdate }
      : {}),
  };
  const controller = new AppController(deps);
  controller.subscribe((state) => {
    host.state = state;
  });
  host.addEventListener('hearth-intent', (event) => void controller.dispatch(event.detail));
  // Leaving the page: write what is queued while the page can still run.
  addEventListener('pagehide', () => void controller.flush());
  void controller.start();
  return controller;
}
