// The Vite dev server the bench runs on: it serves bench/pages/ to Chromium and loads the
// TypeScript of the node figures (ssrLoadModule), so node and browser run the same sources.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'vite';

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Whether a package is installed (y-indexeddb is optional until the lead adds it). */
export function installed(name) {
  return existsSync(join(REPO, 'node_modules', name, 'package.json'));
}

export async function startBenchServer() {
  const server = await createServer({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    // Own cache: re-optimizing the shared one would reload other suites' dev servers mid-test.
    cacheDir: join(REPO, 'node_modules/.vite-bench'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
    optimizeDeps: {
      entries: ['bench/pages/*.html'],
      include: ['lib0/observable', ...(installed('y-indexeddb') ? ['y-indexeddb'] : [])],
    },
    logLevel: 'warn',
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!url) throw new Error('vite dev server did not report a URL');
  return {
    url,
    /**
     * Imports a repo-relative TypeScript module in node. Vite runs with NODE_ENV=development,
     * under which Yjs deep-freezes every inserted value (and throws on binary ones): modules
     * are evaluated as production, which is what the app runs.
     */
    load: async (path) => {
      const mode = process.env.NODE_ENV;
      process.env.NODE_ENV = 'production';
      try {
        return await server.ssrLoadModule(path);
      } finally {
        process.env.NODE_ENV = mode;
      }
    },
    close: () => server.close(),
  };
}
