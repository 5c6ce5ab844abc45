import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

interface Row {
  id: string;
  hearth: number | null;
  baseline: number | null;
  note: string;
}

describe('npm run bench -- --only signaling', () => {
  const out = mkdtempSync(join(tmpdir(), 'hearth-signaling-bench-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  // A few clients: this proves the figure runs end to end (real processes, real Redis); its numbers mean nothing.
  it('reports relayed messages per second, fan-out p50/p99 for one process and two behind Redis, and memory per idle connection', async () => {
    await run(
      process.execPath,
      ['bench/run.mjs', '--only', 'signaling', '--signaling-clients', '24', '--signaling-rooms', '6', '--out', out, '--quiet'],
      { timeout: 120_000 },
    );

    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { figures: Row[]; failures: unknown[] };
    expect(results.failures).toEqual([]);
    const byId = new Map(results.figures.map((row) => [row.id, row]));
    for (const id of ['signaling-relayed', 'signaling-fanout-p50', 'signaling-fanout-p99']) {
      const row = byId.get(id);
      expect(row?.hearth, `${id}: two processes`).toBeGreaterThan(0);
      expect(row?.baseline, `${id}: one process`).toBeGreaterThan(0);
    }
    expect(byId.get('signaling-relayed')?.note).toMatch(/deliveries missing: 0 \(two\), 0 \(one\)/);
    expect(byId.get('signaling-idle-connection')?.hearth).toEqual(expect.any(Number));
    expect(readFileSync(join(out, 'results.md'), 'utf8')).toMatch(/Signaling relayed messages\/s, 24 clients in 6 rooms/);
  }, 130_000);
});
