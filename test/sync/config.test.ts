import { vi } from 'vitest';
import { DEFAULT_SIGNALING, loadSyncConfig, parseSyncConfig } from '../../src/sync/config.js';
import { assertDeepEqual, assertEqual } from '../assert.js';

/** A fetch that answers config.json with `body` (a string is sent as is), or fails. */
function fakeFetch(body: unknown, status = 200): typeof fetch & { urls: string[] } {
  const urls: string[] = [];
  const fn = async (input: RequestInfo | URL) => {
    urls.push(String(input));
    if (body instanceof Error) throw body;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
  };
  return Object.assign(fn as typeof fetch, { urls });
}

const at = (href: string) => {
  const url = new URL(href);
  return { href: url.href, search: url.search };
};

describe('sync config', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => warn.mockRestore());

  it('reads config.json next to the app and uses its servers', async () => {
    const fetchFn = fakeFetch({
      signaling: ['wss://signal.example.org', 'ws://10.0.0.2:4444'],
      iceServers: [{ urls: 'stun:stun.example.org:3478' }, { urls: ['turn:turn.example.org'], username: 'u', credential: 'c' }],
    });
    const config = await loadSyncConfig(at('https://hearth.example/app/index.html#join=x'), fetchFn);
    assertEqual(fetchFn.urls[0], 'https://hearth.example/app/config.json');
    assertDeepEqual(config.signaling, ['wss://signal.example.org', 'ws://10.0.0.2:4444']);
    assertDeepEqual(config.iceServers, [
      { urls: 'stun:stun.example.org:3478' },
      { urls: ['turn:turn.example.org'], username: 'u', credential: 'c' },
    ]);
    assertDeepEqual(config.problems, []);
    assertEqual(warn.mock.calls.length, 0);
  });

  it('lets ?signaling= override the file, comma-separated', async () => {
    const config = await loadSyncConfig(
      at('http://127.0.0.1:5173/?signaling=ws://127.0.0.1:9000,wss://b.example'),
      fakeFetch({ signaling: ['wss://a.example'], iceServers: [] }),
    );
    assertDeepEqual(config.signaling, ['ws://127.0.0.1:9000', 'wss://b.example']);
  });

  it('falls back to the local signaling server when config.json cannot be fetched, and warns once', async () => {
    const config = await loadSyncConfig(at('http://127.0.0.1:5173/'), fakeFetch(new TypeError('network down')));
    assertDeepEqual(config.signaling, DEFAULT_SIGNALING);
    assertDeepEqual(config.iceServers, []);
    assertDeepEqual(config.problems, ['config-unreachable']);
    assertEqual(warn.mock.calls.length, 1);
  });

  it('treats an error status as unreachable', async () => {
    const config = await loadSyncConfig(at('http://127.0.0.1:5173/'), fakeFetch('not found', 404));
    assertDeepEqual(config.problems, ['config-unreachable']);
    assertDeepEqual(config.signaling, DEFAULT_SIGNALING);
  });

  it('reports a config.json that is not JSON and keeps the defaults', async () => {
    const config = await loadSyncConfig(at('http://127.0.0.1:5173/'), fakeFetch('{"signaling": ['));
    assertDeepEqual(config.problems, ['config-not-json']);
    assertDeepEqual(config.signaling, DEFAULT_SIGNALING);
  });

  it('accepts only ws: and wss: signaling URLs, skipping the rest', () => {
    const config = parseSyncConfig({
      signaling: ['https://evil.example', 'javascript:alert(1)', 'ws://user:pw@host', 42, 'wss://good.example'],
    });
    assertDeepEqual(config.signaling, ['wss://good.example']);
    assertDeepEqual(config.problems, ['bad-signaling']);
  });

  it('keeps the default signaling server when no listed URL is usable', () => {
    const config = parseSyncConfig({ signaling: 'wss://not-a-list.example' });
    assertDeepEqual(config.signaling, DEFAULT_SIGNALING);
    assertDeepEqual(config.problems, ['bad-signaling']);
  });

  it('skips ICE servers that are not { urls } objects with stun or turn URLs', () => {
    const config = parseSyncConfig({
      iceServers: [{ urls: 'http://x' }, 'stun:bare-string', { urls: [] }, { urls: 'stun:ok.example', username: 3 }, { urls: 'turns:ok.example' }],
    });
    assertDeepEqual(config.iceServers, [{ urls: 'turns:ok.example' }]);
    assertDeepEqual(config.problems, ['bad-ice-servers']);
  });

  it('reports a config that is not an object', () => {
    for (const json of [null, 7, ['ws://x'], 'ws://x']) {
      const config = parseSyncConfig(json);
      assertDeepEqual(config.problems, ['config-not-an-object']);
      assertDeepEqual(config.signaling, DEFAULT_SIGNALING);
    }
  });

  it('reports a query override with no usable URL and keeps the file', async () => {
    const config = await loadSyncConfig(
      at('http://127.0.0.1:5173/?signaling=http://x,,nonsense'),
      fakeFetch({ signaling: ['wss://a.example'] }),
    );
    assertDeepEqual(config.signaling, ['wss://a.example']);
    assertDeepEqual(config.problems, ['bad-query-signaling']);
    assertEqual(warn.mock.calls.length, 1);
  });

  it('takes maxConns from config.json when it is an integer from 1 to 64, and reports anything else', () => {
    assertEqual(parseSyncConfig({ maxConns: 1 }).maxConns, 1);
    for (const bad of [0, 65, 1.5, '3', null, -1]) {
      const config = parseSyncConfig({ maxConns: bad });
      assertEqual(config.maxConns, undefined);
      assertDeepEqual(config.problems, ['bad-max-conns']);
    }
  });

  it('lets ?maxConns= set the cap for one tab, and reports a bad one', async () => {
    const good = await loadSyncConfig(at('http://127.0.0.1:5173/?maxConns=2'), fakeFetch({ maxConns: 5 }));
    assertEqual(good.maxConns, 2);
    const bad = await loadSyncConfig(at('http://127.0.0.1:5173/?maxConns=1e3'), fakeFetch({ maxConns: 5 }));
    assertEqual(bad.maxConns, 5);
    assertDeepEqual(bad.problems, ['bad-query-max-conns']);
  });
});
