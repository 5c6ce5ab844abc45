/**
 * Where quick exit goes: a neutral, widely visited page (as GOV.UK's "Exit this page" does),
 * opened with `location.replace`, so Back does not return to Hearth.
 */
export const QUICK_EXIT_URL = 'https://www.bbc.co.uk/weather';

/** The app shell's caches and service workers: the last step of a wipe. Works offline. */
export async function clearCachesAndWorkers(): Promise<void> {
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) await caches.delete(name);
  }
  if ('serviceWorker' in navigator) {
    for (const registration of await navigator.serviceWorker.getRegistrations()) await registration.unregister();
  }
}
