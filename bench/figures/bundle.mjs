// Figure 6: what the app makes a first visit download (gzip), and where libsodium goes.
// Builds into a temporary directory (dist/ belongs to the end-to-end suites), then follows
// index.html's module scripts and modulepreloads and every static import they make.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { REPO } from '../lib/server.mjs';

const gzip = (bytes) => gzipSync(bytes).byteLength;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

/** `import … from "x"`, `import "x"`, `export … from "x"`: static imports only (never `import("x")`). */
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;

/** Files (relative to outDir) that index.html loads before any interaction. */
export function firstLoadScripts(outDir) {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const start = new Set();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const isModuleScript = /^<script/.test(tag) && /type=["']module["']/.test(tag);
    const isPreload = /^<link/.test(tag) && /rel=["']modulepreload["']/.test(tag);
    const url = tag.match(/(?:src|href)=["']([^"']+)["']/)?.[1];
    if ((isModuleScript || isPreload) && url && !/^[a-z]+:/i.test(url)) start.add(url.replace(/^\//, ''));
  }
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(outDir, file), 'utf8');
    for (const [, spec] of code.matchAll(STATIC_IMPORT)) {
      if (spec.startsWith('.') || spec.startsWith('/')) visit(posix.normalize(spec.startsWith('/') ? spec.slice(1) : posix.join(posix.dirname(file), spec)));
    }
  };
  start.forEach(visit);
  return [...seen];
}

function listFiles(dir, prefix = '') {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(dir, posix.join(prefix, entry.name)) : [posix.join(prefix, entry.name)],
  );
}

/** gzip size of yjs + lit bundled alone: what any Yjs + Lit app ships at least. */
async function baselineBytes() {
  const entry = '\0bench-baseline-entry';
  const output = await build({
    root: REPO,
    configFile: false,
    logLevel: 'silent',
    plugins: [
      {
        name: 'bench-baseline-entry',
        resolveId: (id) => (id === 'bench-baseline-entry' ? entry : null),
        load: (id) => (id === entry ? "import * as Y from 'yjs'; import * as lit from 'lit'; console.log(Y, lit);" : null),
      },
    ],
    build: { write: false, target: 'es2022', minify: true, rollupOptions: { input: 'bench-baseline-entry' } },
  });
  const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) => result.output);
  return chunks.filter((chunk) => chunk.type === 'chunk').reduce((sum, chunk) => sum + gzip(Buffer.from(chunk.code)), 0);
}

export async function bundle(ctx) {
  const outDir = mkdtempSync(join(tmpdir(), 'hearth-bench-dist-'));
  try {
    ctx.log('bundle: vite build');
    await build({ root: REPO, configFile: join(REPO, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const firstLoad = firstLoadScripts(outDir);
    const firstLoadGzip = firstLoad.reduce((sum, file) => sum + gzip(readFileSync(join(outDir, file))), 0);
    const scripts = listFiles(outDir).filter((file) => file.endsWith('.js'));
    const sodiumFiles = scripts.filter((file) => readFileSync(join(outDir, file), 'utf8').includes('crypto_aead_xchacha20poly1305_ietf_encrypt'));
    const sodiumGzip = sodiumFiles.reduce((sum, file) => sum + gzip(readFileSync(join(outDir, file))), 0);
    const sodiumOnFirstLoad = sodiumFiles.some((file) => firstLoad.includes(file));
    const baseline = await baselineBytes();
    return [
      {
        id: 'bundle-first-load',
        figure: 'First-load JS (gzip)',
        unit: 'bytes',
        hearth: firstLoadGzip,
        baseline,
        display: { hearth: kib(firstLoadGzip), baseline: kib(baseline) },
        goal: null,
        baselineName: 'yjs + lit alone',
        note: `${firstLoad.length} file(s): ${firstLoad.join(', ') || 'none'}`,
        files: firstLoad,
      },
      {
        id: 'bundle-libsodium',
        figure: 'libsodium chunk (gzip)',
        unit: 'bytes',
        hearth: sodiumFiles.length > 0 ? sodiumGzip : null,
        baseline: null,
        display: { hearth: sodiumFiles.length > 0 ? kib(sodiumGzip) : 'not in the build' },
        goal: null,
        note:
          sodiumFiles.length === 0
            ? 'no chunk holds libsodium'
            : `${sodiumFiles.map((file) => `${file} ${kib(gzip(readFileSync(join(outDir, file))))}`).join(', ')}; ${sodiumOnFirstLoad ? 'ON the first-load path' : 'not on the first-load path'}`,
        files: sodiumFiles,
        onFirstLoad: sodiumOnFirstLoad,
      },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
