import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/** Calm, warm: the light page background of index.html and the theme (components/theme.ts). */
const CREAM = '#faf5ef';

export default defineConfig({
  // Pre-bundled up front so the first visit under Playwright does not trigger a reload: every
  // bare import the app and the test pages make (a dependency found later reloads the page).
  optimizeDeps: {
    include: [
      'yjs',
      'y-webrtc',
      'libsodium-wrappers',
      'libsodium-wrappers-sumo',
      'lit',
      'lit/decorators.js',
      'lit/directives/if-defined.js',
      'lit/directives/live.js',
      'lit/directives/repeat.js',
      'idb',
      'lean-qr',
      'jsqr',
      'lib0/buffer',
      'lib0/decoding',
      'lib0/hash/sha256',
      'lib0/observable',
      'lib0/string',
      '@zxcvbn-ts/core',
      '@zxcvbn-ts/language-common',
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    // libsodium (~150 KiB gzip, WebAssembly inline) gets a chunk of its own: it loads after first
    // paint, and its size is a figure of its own in `npm run bench`.
    chunkSizeWarningLimit: 700,
    // Every browser the app supports preloads modules itself; the polyfill was one more request
    // and script ahead of the first screen.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'libsodium', test: /node_modules[\\/]libsodium/ },
            // A chunk of its own, so the entry evaluates it ahead of Lit's chunk: IndexedDB is asked
            // which databases exist (src/app/databasesProbe.ts) and a returning device starts
            // fetching its board (components/app/returningViews.ts) before Lit is evaluated.
            {
              name: 'early',
              test: /src[\\/]app[\\/](databasesProbe|firstScreen)\.ts|components[\\/]app[\\/](returningViews|views)\.ts/,
            },
            // Small side-effect-free modules the first screen and the board share (0.1–3 KiB each):
            // one chunk instead of a dozen, since each module request costs a phone 10–20 ms of
            // main thread before any of it runs.
            {
              name: 'common',
              test: /src[\\/]model[\\/](authorMark|checks|meeting|schedule|checkin|technique|schema)\.ts|src[\\/]app[\\/]state\.ts|components[\\/](stack|text|groupForm|validation)\.ts|directives[\\/]if-defined\.js/,
            },
          ],
        },
      },
    },
  },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  plugins: [
    VitePWA({
      strategies: 'generateSW',
      // A new version waits until the person says yes (src/app/serviceWorker.ts → applyUpdate()).
      registerType: 'prompt',
      // Until the app imports virtual:pwa-register, the plugin adds a plain /registerSW.js
      // (an external script, allowed by the page's CSP); once it does, it adds nothing.
      injectRegister: 'auto',
      // globPatterns below already list every icon and config.json: listing them again would duplicate them.
      includeManifestIcons: false,
      manifest: {
        id: './',
        name: 'Hearth',
        short_name: 'Hearth',
        description:
          'A quiet, private place for your support group: stories, encouragement and small victories, ' +
          'shared only with the people in your circle.',
        lang: 'en',
        dir: 'ltr',
        display: 'standalone',
        start_url: './',
        scope: './',
        theme_color: CREAM,
        background_color: CREAM,
        categories: ['health', 'social'],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
          { src: 'favicon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' },
        ],
      },
      workbox: {
        // The whole app shell, so the board opens with no network at all.
        // (The plugin adds manifest.webmanifest itself.)
        globPatterns: ['**/*.{html,js,css,png,svg,json,wasm}'],
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // Only the first install takes control at once; later versions wait for applyUpdate().
        clientsClaim: true,
        // No runtime caching: nothing from another origin is ever cached.
        runtimeCaching: [],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
      },
    }),
  ],
});
