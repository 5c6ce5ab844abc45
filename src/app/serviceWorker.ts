/// <reference types="vite-plugin-pwa/client" />
import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker keeps the app shell cached, so Hearth opens offline. A new version is
 * installed in the background but waits: the UI shows "update available" (onUpdateAvailable)
 * and the person chooses when to reload into it (applyUpdate), never mid-sentence.
 */
const listeners = new Set<() => void>();
let updateWaiting = false;
let update: ((reloadPage?: boolean) => Promise<void>) | undefined;

/** Registers the service worker once; returns the hooks the app wires into its state. */
export function registerServiceWorker(): { onUpdateAvailable: typeof onUpdateAvailable; applyUpdate: typeof applyUpdate } {
  update ??= registerSW({
    immediate: true,
    onNeedRefresh() {
      updateWaiting = true;
      for (const listener of listeners) listener();
    },
    // Offline use is a bonus, not a requirement to open the board: say so once, by code only.
    onRegisterError() {
      console.warn('hearth: service-worker-unavailable');
    },
  });
  return { onUpdateAvailable, applyUpdate };
}

/** Calls `listener` when a new version is ready (at once if one already is); returns the unsubscribe. */
export function onUpdateAvailable(listener: () => void): () => void {
  listeners.add(listener);
  if (updateWaiting) listener();
  return () => listeners.delete(listener);
}

/** Activates the waiting version and reloads into it. */
export function applyUpdate(): void {
  void update?.(true);
}
