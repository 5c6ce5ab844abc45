/**
 * The views hearth-app loads the first time it shows them. The welcome and lock screens (and
 * quick exit, which must work on every screen at once) are imported statically, so the first
 * screen waits only for them; the board and everything it pulls in (posts, composer, members,
 * the week) load beside libsodium, after the first screen is painted.
 */
const LOADERS = {
  'hearth-board': () => import('../board/hearth-board.js'),
  'hearth-create-group': () => import('../create-group/hearth-create-group.js'),
  'hearth-groups': () => import('../groups/hearth-groups.js'),
  'hearth-invite': () => import('../invite/hearth-invite.js'),
  'hearth-join': () => import('../join/hearth-join.js'),
  'hearth-meeting-mode': () => import('../meeting/hearth-meeting-mode.js'),
  'hearth-settings': () => import('../settings/hearth-settings.js'),
  'hearth-shelf': () => import('../shelf/hearth-shelf.js'),
  'hearth-support-alerts': () => import('../support/hearth-support-alerts.js'),
  'hearth-support-now': () => import('../support/hearth-support-now.js'),
  'hearth-venue': () => import('../venue/hearth-venue.js'),
} satisfies Record<string, () => Promise<unknown>>;

export type LazyView = keyof typeof LOADERS;

const loading = new Map<LazyView, Promise<void>>();

/** Loads a view's module once; later calls share the first load (a failed one is tried again). */
export function loadView(tag: LazyView): Promise<void> {
  let load = loading.get(tag);
  if (!load) {
    load = LOADERS[tag]().then(
      () => undefined,
      (error: unknown) => {
        loading.delete(tag);
        throw error;
      },
    );
    loading.set(tag, load);
  }
  return load;
}

export const isViewLoaded = (tag: LazyView): boolean => customElements.get(tag) !== undefined;
