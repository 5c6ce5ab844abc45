// The production build every browser figure measures: `vite build` with the repo's own config
// (what `npm start` builds and serves), plus the bench's pages (peer.html for the figures driven
// through window.hearthBench; the phone-class seeding, plain-baseline and blank pages) as extra
// inputs, so they share the app's origin and service worker. Served with `vite preview`.
import { join } from 'node:path';
import { build, preview } from 'vite';
import { REPO } from './server.mjs';

/** `extraInputs`: more bench pages a figure needs in the bundle, name → path under the repo. */
export async function startProductionServer(log, extraInputs = {}) {
  const outDir = join(REPO, 'node_modules/.bench-dist');
  const started = performance.now();
  await build({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rolldownOptions: {
        input: {
          index: join(REPO, 'index.html'),
          peer: join(REPO, 'bench/pages/peer.html'),
          phone: join(REPO, 'bench/pages/phone.html'),
          plain: join(REPO, 'bench/pages/plain.html'),
          blank: join(REPO, 'bench/pages/blank.html'),
          ...Object.fromEntries(Object.entries(extraInputs).map(([name, path]) => [name, join(REPO, path)])),
        },
      },
    },
  });
  log(`production build in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const server = await preview({
    root: REPO,
    configFile: join(REPO, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false },
  });
  const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!url) throw new Error('vite preview did not report a URL');
  return { url, close: () => new Promise((resolve) => server.httpServer.close(resolve)) };
}
