import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { assert, assertDeepEqual } from '../assert.js';
// @ts-expect-error plain ESM module of the bench, without types
import { firstLoadScripts } from '../../bench/figures/bundle.mjs';

const run = promisify(execFile);

interface FigureRow {
  id: string;
  figure: string;
  unit: string;
  hearth: number | null;
  baseline: number | null;
  ratio: number | null;
  goal: { op: '<=' | '>='; value: number } | null;
  met: boolean | null;
}

interface BenchResults {
  machine: { cpu: string; cores: number; node: string; chromium: string | null };
  params: { posts: number };
  figures: FigureRow[];
  failures: { figure: string; error: string }[];
}

describe('npm run bench', () => {
  const out = mkdtempSync(join(tmpdir(), 'hearth-bench-smoke-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  // Tiny sizes: this proves the bench code runs end to end; its timings mean nothing.
  it('measures every figure against its baseline on a tiny board and writes the table and JSON', async () => {
    await run(
      process.execPath,
      ['bench/run.mjs', '--posts', '20', '--runs', '1', '--warmup', '0', '--samples', '2', '--crypto-ms', '2', '--stock-timeout', '3000',
        '--meeting-members', '3', '--meeting-posts', '5', '--meeting-runs', '1',
        '--only', 'propagation,join,offline,bytes,meeting,crypto,unlock', '--out', out, '--quiet'],
      // The browser figures' pages come from a production build, made first.
      { timeout: 240_000 },
    );
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    assertDeepEqual(results.failures, []);
    assert(results.machine.cores > 0 && results.machine.chromium !== null, 'machine and Chromium versions are reported');
    const ids = results.figures.map((row) => row.id);
    for (const id of [
      'propagation-median', 'propagation-p95', 'join-checkpointed', 'join-written', 'join-stock',
      'offline-checkpointed', 'offline-written', 'bytes-checkpointed', 'bytes-written', 'meeting-3', 'unlock-chosen',
    ]) {
      assert(ids.includes(id), `figure ${id} is reported`);
    }
    for (const row of results.figures.filter((figure) => figure.goal !== null && figure.baseline !== null)) {
      assert(typeof row.hearth === 'number' && row.hearth > 0, `${row.id} has a Hearth value`);
      assert(typeof row.ratio === 'number' && typeof row.met === 'boolean', `${row.id} has a ratio and a verdict`);
    }
    const stock = results.figures.find((row) => row.id === 'join-stock')!;
    assert(stock.baseline === 20, 'a 20-post board fits in one stock y-webrtc message');
    const table = readFileSync(join(out, 'results.md'), 'utf8');
    assert(table.includes('| Figure | Hearth | Baseline | Ratio | Goal | Met |'), 'the Markdown table is written');
  }, 250_000);

  it('measures the phone-class rows on the production build, at 4× and full speed, on a tiny board', async () => {
    const phoneOut = join(out, 'phone');
    await run(process.execPath, ['bench/run.mjs', '--posts', '20', '--runs', '1', '--warmup', '0', '--only', 'phone', '--out', phoneOut, '--quiet'], {
      timeout: 290_000,
    });
    const results = JSON.parse(readFileSync(join(phoneOut, 'results.json'), 'utf8')) as BenchResults;
    assertDeepEqual(results.failures, []);
    const ids = results.figures.map((row) => row.id);
    for (const id of [
      'phone-first-visit-4x', 'phone-first-visit-1x', 'phone-reopen-4x', 'phone-reopen-1x', 'phone-reopen-vs-empty-4x',
      'phone-heap-20', 'phone-nodes-20', 'phone-share-20-4x',
    ]) {
      assert(ids.includes(id), `figure ${id} is reported`);
    }
    for (const row of results.figures) {
      assert(typeof row.hearth === 'number' && row.hearth > 0, `${row.id} has a Hearth value`);
      assert(typeof row.baseline === 'number' && row.baseline > 0, `${row.id} has a baseline value`);
    }
  }, 300_000);

  it('measures the phone-class join rows on the production build, on a board over the catch-up threshold', async () => {
    const joinOut = join(out, 'phone-join');
    // 80 posts: over the 64 links behind at which a member sends a catch-up page.
    await run(process.execPath, ['bench/run.mjs', '--posts', '80', '--runs', '1', '--warmup', '0', '--only', 'phone-join', '--out', joinOut, '--quiet'], {
      timeout: 290_000,
    });
    const results = JSON.parse(readFileSync(join(joinOut, 'results.json'), 'utf8')) as BenchResults;
    assertDeepEqual(results.failures, []);
    assertDeepEqual(
      results.figures.map((row) => row.id).sort(),
      ['phone-join-newest-80-1x', 'phone-join-newest-80-4x', 'phone-join-whole-80-1x', 'phone-join-whole-80-4x'],
    );
    for (const row of results.figures) {
      assert(typeof row.hearth === 'number' && row.hearth > 0, `${row.id} has a Hearth value`);
      assert(typeof row.baseline === 'number' && row.baseline > 0, `${row.id} has a baseline value`);
    }
  }, 300_000);

  it('counts as first-load JS the module scripts, modulepreloads and their static imports, not dynamic imports', () => {
    const dist = mkdtempSync(join(tmpdir(), 'hearth-bench-dist-'));
    const write = (file: string, text: string): void => {
      mkdirSync(dirname(join(dist, file)), { recursive: true });
      writeFileSync(join(dist, file), text);
    };
    write('index.html', '<script type="module" crossorigin src="/assets/index.js"></script><link rel="modulepreload" href="/assets/pre.js">');
    write('assets/index.js', 'import{a}from"./shared.js";import"./side.js";const s=()=>import("./sodium.js");');
    write('assets/shared.js', 'export const a=1;');
    write('assets/side.js', 'export{b}from"./deep.js";');
    write('assets/deep.js', 'export const b=2;');
    write('assets/pre.js', '');
    write('assets/sodium.js', 'export const sodium=1;');
    try {
      assertDeepEqual(
        (firstLoadScripts(dist) as string[]).sort(),
        ['assets/deep.js', 'assets/index.js', 'assets/pre.js', 'assets/shared.js', 'assets/side.js'],
      );
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
