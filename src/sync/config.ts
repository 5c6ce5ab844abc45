/**
 * Runtime sync configuration: which signaling servers to meet peers through, which ICE
 * (STUN/TURN) servers to use, and optionally how many peers to connect to at most. It is
 * deployment data, not code: `config.json` next to the app (`npm start` writes it), overridable
 * per tab with `?signaling=ws://a,wss://b` and `?maxConns=N`.
 *
 * config.json format version 1 (docs/PROTOCOL.md §Runtime config):
 *   { "signaling": ["wss://…", …], "iceServers": [{ "urls": "stun:…" | ["turn:…"], "username"?, "credential"? }],
 *     "maxConns"?: 1…64 }
 */
export interface SyncConfig {
  signaling: string[];
  iceServers: RTCIceServer[];
  /**
   * y-webrtc's cap on WebRTC connections (its default is 20 to 34). Envelopes are relayed, so a
   * member reached only through another still converges; a test sets 1 to build a line A–C–B.
   */
  maxConns?: number;
}

/** What was wrong with the configuration; the loader used the defaults for that part. */
export type SyncConfigProblem =
  | 'config-unreachable' // fetch failed or answered with an error status
  | 'config-not-json'
  | 'config-not-an-object'
  | 'bad-signaling' // not a list of ws:/wss: URLs (bad entries are skipped)
  | 'bad-ice-servers' // not a list of { urls } objects with stun/turn URLs (bad entries are skipped)
  | 'bad-max-conns' // maxConns not an integer from 1 to 64 (y-webrtc's default is used)
  | 'bad-query-signaling' // the ?signaling= override held no usable URL
  | 'bad-query-max-conns'; // the ?maxConns= override was not an integer from 1 to 64

/** The loaded configuration and what was skipped on the way; never throws. */
export interface LoadedSyncConfig extends SyncConfig {
  problems: SyncConfigProblem[];
}

export const DEFAULT_SIGNALING = ['ws://127.0.0.1:4444'];
const MAX_URLS = 8;
const MAX_CONNS_LIMIT = 64;

function maxConns(value: unknown): number | undefined {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= MAX_CONNS_LIMIT ? (value as number) : undefined;
}
const MAX_URL_LENGTH = 2048;

export function defaultSyncConfig(): SyncConfig {
  return { signaling: [...DEFAULT_SIGNALING], iceServers: [] };
}

/** Only ws:/wss: URLs: y-webrtc opens a WebSocket to each, and nothing else may be contacted. */
function signalingUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_URL_LENGTH) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return undefined;
    if (url.username || url.password) return undefined; // credentials in a URL would be sent in clear
    return value;
  } catch {
    return undefined;
  }
}

function isIceUrl(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_URL_LENGTH && /^(stun|stuns|turn|turns):[^\s]+$/.test(value);
}

function iceServer(value: unknown): RTCIceServer | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { urls, username, credential } = value as Record<string, unknown>;
  const list = Array.isArray(urls) ? urls : [urls];
  if (list.length === 0 || list.length > MAX_URLS || !list.every(isIceUrl)) return undefined;
  if (username !== undefined && typeof username !== 'string') return undefined;
  if (credential !== undefined && typeof credential !== 'string') return undefined;
  return {
    urls: Array.isArray(urls) ? [...list] : list[0]!,
    ...(username !== undefined ? { username } : {}),
    ...(credential !== undefined ? { credential } : {}),
  };
}

/** Keeps the valid entries of a list; `bad` is true when anything was skipped or it was no list. */
function validList<T>(value: unknown, item: (v: unknown) => T | undefined): { items: T[]; bad: boolean } {
  if (!Array.isArray(value)) return { items: [], bad: true };
  const items = value.slice(0, MAX_URLS).map(item).filter((v): v is T => v !== undefined);
  return { items, bad: items.length !== value.length };
}

/** Validates parsed config.json. Hostile or mistaken input yields defaults plus problems, never an exception. */
export function parseSyncConfig(json: unknown): LoadedSyncConfig {
  const config: LoadedSyncConfig = { ...defaultSyncConfig(), problems: [] };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    config.problems.push('config-not-an-object');
    return config;
  }
  const { signaling, iceServers, maxConns: conns } = json as Record<string, unknown>;
  if (conns !== undefined) {
    const value = maxConns(conns);
    if (value === undefined) config.problems.push('bad-max-conns');
    else config.maxConns = value;
  }
  if (signaling !== undefined) {
    const { items, bad } = validList(signaling, signalingUrl);
    if (items.length > 0) config.signaling = items;
    if (bad || items.length === 0) config.problems.push('bad-signaling');
  }
  if (iceServers !== undefined) {
    const { items, bad } = validList(iceServers, iceServer);
    config.iceServers = items;
    if (bad) config.problems.push('bad-ice-servers');
  }
  return config;
}

/** `?signaling=ws://a,wss://b`: lets a tester or a self-hoster point one tab elsewhere. */
function querySignaling(search: string): { urls?: string[]; bad: boolean } {
  const raw = new URLSearchParams(search).get('signaling');
  if (raw === null) return { bad: false };
  const urls = raw
    .split(',')
    .map((part) => signalingUrl(part.trim()))
    .filter((url): url is string => url !== undefined)
    .slice(0, MAX_URLS);
  return urls.length > 0 ? { urls, bad: false } : { bad: true };
}

/**
 * Reads `./config.json` relative to the app, then applies the query-string override. Problems
 * are logged once (one console.warn per load) and returned; the app always gets a usable config.
 */
export async function loadSyncConfig(
  location: Pick<Location, 'href' | 'search'> = window.location,
  fetchFn: typeof fetch = fetch,
): Promise<LoadedSyncConfig> {
  let config: LoadedSyncConfig;
  try {
    const response = await fetchFn(new URL('./config.json', location.href).href, { cache: 'no-cache' });
    if (!response.ok) {
      config = { ...defaultSyncConfig(), problems: ['config-unreachable'] };
    } else {
      let json: unknown;
      try {
        json = await response.json();
      } catch {
        json = undefined;
      }
      config = json === undefined ? { ...defaultSyncConfig(), problems: ['config-not-json'] } : parseSyncConfig(json);
    }
  } catch {
    config = { ...defaultSyncConfig(), problems: ['config-unreachable'] };
  }
  const override = querySignaling(location.search);
  if (override.urls) config.signaling = override.urls;
  if (override.bad) config.problems.push('bad-query-signaling');
  const connsOverride = new URLSearchParams(location.search).get('maxConns');
  if (connsOverride !== null) {
    const value = /^\d{1,3}$/.test(connsOverride) ? maxConns(Number(connsOverride)) : undefined;
    if (value === undefined) config.problems.push('bad-query-max-conns');
    else config.maxConns = value;
  }
  if (config.problems.length > 0) {
    console.warn(`sync config: ${config.problems.join(', ')}; using signaling ${config.signaling.join(', ')}`);
  }
  return config;
}
