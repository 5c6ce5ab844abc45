import { defineConfig } from 'vite';

export default defineConfig({
  // Pre-bundled up front so the first visit under Playwright does not trigger a reload.
  optimizeDeps: { include: ['yjs', 'y-webrtc', 'libsodium-wrappers', 'lit', 'idb'] },
  build: { target: 'es2022', sourcemap: false },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
