// Figure 8: what the app lock adds to the JavaScript a person without a lock loads. Builds into
// a temporary directory and follows index.html's first-load scripts plus the modules the app
// imports at start (boot and components) with their static imports: none of it may be
// lock-only code (the argon2id worker with libsodium sumo, the zxcvbn estimator).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { REPO } from '../lib/server.mjs';
import { firstLoadScripts } from './bundle.mjs';

const gzip = (bytes) => gzipSync(bytes).byteLength;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
/** Chunks only the lock loads, by the module Vite names them after. */
const LOCK_ONLY = /^assets\/(pwhash\.worker|pwhashWorker|strength)-[\w-]+\.js$/;
const STATIC_IMPORT = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["'`]([^"'`]+)["'`]\s*\)/g;

/** First-load scripts, then what they dynamically import at start and its static imports (one level of dynamic imports). */
function startScripts(outDir) {
  const first = firstLoadScripts(outDir);
  const seen = new Set(first);
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(join(outDir, file), 'utf8');
    for (const [, spec] of code.matchAll(STATIC_IMPORT)) if (spec.startsWith('.')) visit(posix.normalize(posix.join(posix.dirname(file), spec)));
  };
  for (const file of first) {
    const code = readFileSync(join(outDir, file), 'utf8');
    for (const [, spec] of code.matchAll(DYNAMIC_IMPORT)) if (spec.startsWith('.')) visit(posix.normalize(posix.join(posix.dirname(file), spec)));
  }
  return { first, start: [...seen] };
}

export async function lockBundle(ctx) {
  const outDir = mkdtempSync(join(tmpdir(), 'hearth-bench-lock-'));
  try {
    ctx.log('lock-bundle: vite build');
    await build({ root: REPO, configFile: join(REPO, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const assets = readdirSync(join(outDir, 'assets')).map((file) => `assets/${file}`);
    const lockOnly = assets.filter((file) => LOCK_ONLY.test(file));
    const { first, start } = startScripts(outDir);
    const size = (files) => files.reduce((sum, file) => sum + gzip(readFileSync(join(outDir, file))), 0);
    const lockOnStart = start.filter((file) => LOCK_ONLY.test(file));
    return [
      {
        id: 'lock-not-loaded-without-lock',
        figure: 'Lock-only JS loaded without a lock (gzip)',
        unit: 'bytes',
        hearth: size(lockOnStart),
        baseline: size(lockOnly),
        display: { hearth: kib(size(lockOnStart)), baseline: kib(size(lockOnly)) },
        goal: { op: '<=', value: 0 },
        baselineName: 'all lock-only chunks',
        note: `lock-only: ${lockOnly.map((file) => `${file} ${kib(size([file]))}`).join(', ')}; loaded at start for everyone: ${start.join(', ')} (${kib(size(start))}; first paint ${kib(size(first))})`,
      },
    ];
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
