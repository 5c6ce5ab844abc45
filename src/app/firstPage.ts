import type { GroupRecord } from './ports.js';
import { readRecentPage, recentScreen, type RecentPage } from './recentPage.js';
import type { AppState } from './state.js';

/**
 * The first page: the recent page of the group open last, with what the first screen needs to
 * show it before the app has loaded (the group's id and name, this device's author id). The
 * store keeps it sealed under a key derived from the storage key, readable with WebCrypto alone
 * (src/store/firstPage.ts), never under the app lock. Format: docs/PROTOCOL.md §14.
 */
export interface FirstPage {
  v: 1;
  group: { id: string; name: string };
  viewerId: string;
  page: RecentPage;
}

export function firstPageOf(group: Pick<GroupRecord, 'id' | 'name'>, viewerId: string, page: RecentPage): FirstPage {
  return { v: 1, group: { id: group.id, name: group.name }, viewerId, page };
}

/**
 * The board screen a first page shows, every record checked again as the recent page's are;
 * undefined when it is not a first page or holds no post. The group's focus is left out: the
 * discreet setting that may hide it is read once the app has loaded.
 */
export function firstPageScreen(value: unknown): AppState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { v, group, viewerId, page } = value as Partial<Record<keyof FirstPage, unknown>>;
  if (v !== 1 || typeof viewerId !== 'string' || typeof group !== 'object' || group === null) return undefined;
  const { id, name } = group as Record<string, unknown>;
  if (typeof id !== 'string' || typeof name !== 'string') return undefined;
  const recent = readRecentPage(page);
  if (!recent || recent.posts.length === 0) return undefined;
  const board = recentScreen({ id, name }, viewerId, recent);
  const { focus: _discreet, ...shown } = board.group;
  return {
    status: 'ready',
    route: { name: 'board', groupId: id },
    groups: [{ id, name: shown.name }],
    updateAvailable: false,
    board: { ...board, group: shown },
  };
}
