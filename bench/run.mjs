#!/usr/bin/env node
// `npm run bench`: Hearth measured against plain Yjs baselines in the same run. Prints a
// Markdown table and writes results.md and results.json (bench/ unless --out). See bench/README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startSignalingServer } from '../server/signaling.mjs';
import { parseBenchArgs, USAGE } from './lib/args.mjs';
import { launchChromium } from './lib/browser.mjs';
import { startProductionServer } from './lib/production.mjs';
import { finishRows, markdown } from './lib/report.mjs';
import { REPO, startBenchServer } from './lib/server.mjs';
import { bundle } from './figures/bundle.mjs';
import { bytesAtRest } from './figures/bytesAtRest.mjs';
import { crypto } from './figures/crypto.mjs';
import { join as joinFigure } from './figures/join.mjs';
import { meeting } from './figures/meeting.mjs';
import { offline } from './figures/offline.mjs';
import { phone } from './figures/phone.mjs';
import { phoneJoin } from './figures/phoneJoin.mjs';
import { propagation } from './figures/propagation.mjs';
import { signaling } from './figures/signaling.mjs';
import { lockBundle } from './figures/lockBundle.mjs';
import { unlock } from './figures/unlock.mjs';

const FIGURE_RUNNERS = {
  propagation,
  join: joinFigure,
  offline,
  bytes: bytesAtRest,
  meeting,
  crypto,
  bundle,
  signaling,
  unlock,
  'lock-bundle': lockBundle,
  phone,
  'phone-join': phoneJoin,
};
const NEEDS_CHROMIUM = new Set(['propagation', 'join', 'offline', 'meeting', 'crypto', 'unlock', 'phone', 'phone-join']);

function machineInfo() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((load) => load.toFixed(2)).join(' '),
    chromium: null,
  };
}

async function main() {
  let args;
  try {
    args = parseBenchArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) return console.log(USAGE);
  const log = args.quiet ? () => {} : (line) => console.error(`[bench] ${line}`);
  const machine = machineInfo();
  const params = {
    posts: args.posts,
    runs: args.runs,
    warmup: args.warmup,
    samples: args.samples,
    cryptoMs: args.cryptoMs,
    meetingMembers: args.meetingMembers,
    meetingPosts: args.meetingPosts,
    meetingRuns: args.meetingRuns,
    only: args.only,
    date: new Date().toISOString(),
  };

  const runStarted = performance.now();
  const closers = [];
  const rows = [];
  const failures = [];
  try {
    const server = await startBenchServer();
    closers.push(() => server.close());
    const signaling = await startSignalingServer({ host: '127.0.0.1', port: 0, statsIntervalMs: 0 });
    closers.push(() => signaling.close());
    const browsers = {};
    let pages;
    if (args.only.some((name) => NEEDS_CHROMIUM.has(name))) {
      // Every page the browser figures open comes from the production build, as users get it.
      pages = await startProductionServer(log);
      closers.push(() => pages.close());
      // Two processes: peer A (and single-page figures) and peer B.
      [browsers.a, browsers.b] = await Promise.all([launchChromium(), launchChromium()]);
      closers.push(() => browsers.a.close(), () => browsers.b.close());
      machine.chromium = browsers.a.version();
    }
    const ctx = { args, server, pages, signaling, browsers, log };
    for (const name of args.only) {
      const started = performance.now();
      log(`${name}…`);
      try {
        rows.push(...(await FIGURE_RUNNERS[name](ctx)));
      } catch (error) {
        log(`${name} failed: ${error.stack ?? error}`);
        failures.push({ figure: name, error: String(error.message ?? error).split('\n')[0] });
      }
      log(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }

  params.durationS = Math.round((performance.now() - runStarted) / 1000);
  const finished = finishRows(rows);
  const table = markdown({ machine, params, rows: finished, failures });
  const outDir = args.out ?? join(REPO, 'bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.md'), table);
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ machine, params, figures: finished, failures }, null, 2) + '\n');
  console.log(table);
  log(`wrote ${join(outDir, 'results.md')} and results.json`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
