import { ready } from '../../crypto/index.js';
import {
  fail,
  openHearthStore,
  passphraseKeyWrapper,
  readUnlockGuard,
  webCryptoKeyWrapper,
  wipeStorage,
  writeUnlockGuard,
  type HearthSettings,
  type HearthStore,
  type KeyWrapper,
} from '../store/index.js';
import { loadSyncConfig, type SyncConfig } from '../sync/config.js';
import { GroupSession } from '../sync/groupSession.js';
import { RendezvousSession } from '../sync/rendezvous.js';
import { VenueSession } from '../sync/venueSession.js';
import { AppController } from './controller.js';
import { watchAutoLock } from './appLock.js';
import type { AppDeps, StorePort } from './ports.js';
import { QUICK_EXIT_URL, clearCachesAndWorkers } from './pageExit.js';
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
    saveFirstPage: (page) => store.saveFirstPage(page),
    forgetFirstPage: () => store.forgetFirstPage(),
    onError: (listener) => store.on('error', listener),
    get passphraseProtected() {
      return store.passphraseProtected;
    },
    setPassphrase: async (passphrase) => {
      const wrapper = passphrase === null ? webCryptoKeyWrapper : await lockWrapper(passphrase, true).catch(() => undefined);
      return wrapper ? store.rotateStorageKey(wrapper) : fail('failed', LOCK_UNAVAILABLE);
    },
    close: () => store.close(),
  };
}

const LOCK_UNAVAILABLE = "Hearth could not run its lock on this device just now. Nothing was changed; please try again.";

/**
 * The app lock's key wrapper. The argon2id code (the libsodium sumo build, in a Web Worker)
 * loads only here, so a person without a lock never downloads it. `calibrate`: measure this
 * device's parameters (when a lock is set); unlocking reads them from the wrapped record.
 */
async function lockWrapper(passphrase: string, calibrate: boolean): Promise<KeyWrapper> {
  const { calibratePwhashInWorker, derivePassphraseKeyInWorker } = await import('../../crypto/pwhashWorker.js');
  const calibrated = calibrate ? await calibratePwhashInWorker() : null;
  if (calibrate && !calibrated) throw new Error('argon2id could not run on this device');
  const derive = async (...args: Parameters<typeof derivePassphraseKeyInWorker>) => (await derivePassphraseKeyInWorker(...args))?.key ?? null;
  return passphraseKeyWrapper(passphrase, derive, calibrated?.params);
}

/**
 * Starts the app inside `host` (the <hearth-app> element) and returns its controller. `early`:
 * the screen already shown before the app loaded (firstScreen.ts), kept while the app loads.
 */
export function startApp(host: HTMLElement & { state: AppState }, early?: AppState): AppController {
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
    openStore: async (unlock) => {
      const keyWrapper = unlock ? await lockWrapper(unlock.passphrase, false).catch(() => undefined) : undefined;
      if (unlock && !keyWrapper) return fail('failed', LOCK_UNAVAILABLE);
      const opened = await openHearthStore('hearth', keyWrapper ? { keyWrapper } : {});
      return opened.ok ? { ok: true, value: storePort(opened.value) } : opened;
    },
    readUnlockGuard: () => readUnlockGuard(),
    writeUnlockGuard: (guard) => writeUnlockGuard(guard),
    wipe: async () => {
      await wipeStorage();
      await clearCachesAndWorkers();
    },
    leavePage: () => {
      host.setAttribute('covered', '');
      location.replace(QUICK_EXIT_URL);
    },
    createSession: (options) => new GroupSession({ ...options, config: config! }),
    createRendezvous: (room, password) => new RendezvousSession(room, password, config!),
    // Not a member yet: it proves only the invite, and asks no one whether a key is a member.
    createInviteVenue: (invite, identity) => new VenueSession({ invite, identity, isMember: () => false }),
    location: window.location,
    clearFragment: () => history.replaceState(null, '', location.pathname + location.search),
    onHashChange: (listener) => window.addEventListener('hashchange', listener),
    schedule: (task) => requestAnimationFrame(() => task()),
    warn: (code) => console.warn(`hearth: ${code}`),
    ...(serviceWorker
      ? { onUpdateAvailable: serviceWorker.onUpdateAvailable, applyUpdate: serviceWorker.applyUpdate }
      : {}),
  };
  const controller = new AppController(deps);
  // The early screen stays until the app is past loading; an early board (the first page, see
  // firstScreen.ts) until the app shows a board of its own or has started without one.
  let shown = early;
  let starting = true;
  const keepEarly = (state: AppState): boolean =>
    state.status === 'loading' || (starting && shown?.route.name === 'board' && state.status === 'ready' && state.route.name !== 'board');
  controller.subscribe((state) => {
    if (!keepEarly(state)) shown = undefined;
    host.state = shown ?? state;
  });
  host.addEventListener('hearth-intent', (event) => void controller.dispatch(event.detail));
  // Leaving the page: write what is queued while the page can still run; under the lock, cover
  // the page at once (a back/forward-cache snapshot shows nothing) and lock.
  addEventListener('pagehide', () => {
    void controller.flush();
    if (!controller.lockEnabled) return;
    host.setAttribute('covered', '');
    void controller.dispatch({ type: 'lock' });
  });
  // Back from the back/forward cache: lock again if anything was left open, then uncover.
  addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    if (controller.lockEnabled) void controller.dispatch({ type: 'lock' }).then(() => host.removeAttribute('covered'));
    else host.removeAttribute('covered');
  });
  watchAutoLock(
    {
      get hidden() {
        return document.visibilityState === 'hidden';
      },
      onVisibilityChange: (listener) => {
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
      },
      setTimer: (task, ms) => {
        const timer = setTimeout(task, ms);
        return () => clearTimeout(timer);
      },
      now: () => Date.now(),
    },
    {
      delayMs: () => (controller.lockEnabled && controller.current.status === 'ready' ? controller.current.privacy?.autoLockAfterMs : undefined),
      lock: () => void controller.dispatch({ type: 'lock' }),
    },
  );
  void controller.start().finally(() => {
    starting = false;
    if (shown) host.state = controller.current;
    shown = undefined;
  });
  return controller;
}
