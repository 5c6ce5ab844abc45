// Figure 3: an N-post board from IndexedDB to its view, in a fresh page each time: Hearth's
// store (the chain with its checkpoints, and without) against plain Yjs + y-indexeddb.
import { openBenchPage } from '../lib/browser.mjs';
import { installed } from '../lib/server.mjs';
import { median } from '../lib/stats.mjs';
import { benchChains } from './fixture.mjs';

const GOAL = { op: '<=', value: 1.5 };

export async function offline(ctx) {
  const { args, pages, browsers, log } = ctx;
  const chains = await benchChains(ctx);
  const plainAvailable = installed('y-indexeddb');
  if (!plainAvailable) log('offline: y-indexeddb is not installed, so the baseline is skipped (npm install -D y-indexeddb)');
  const variants = ['hearth-checkpointed', 'hearth-written', ...(plainAvailable ? ['plain-y-indexeddb'] : [])];
  // One profile for the whole figure: its IndexedDB holds the three databases.
  const context = await browsers.a.newContext();
  try {
    const prepare = await openBenchPage(context, pages.url, log);
    const prepared = await prepare.call('offlinePrepare', { chains: chains.packed, plainUpdate: plainAvailable ? chains.plainUpdate : null });
    await prepare.close();

    const results = Object.fromEntries(variants.map((variant) => [variant, []]));
    const sodiumReadyMs = [];
    for (let run = -args.warmup; run < args.runs; run++) {
      // Rotate the order each run so load drift spreads over every variant; runs below 0 warm up.
      const order = variants.map((_, i) => variants[(((i + run) % variants.length) + variants.length) % variants.length]);
      for (const variant of order) {
        const page = await openBenchPage(context, pages.url, log);
        try {
          const result = await page.call('offlineOpen', variant);
          if (result.posts !== args.posts) throw new Error(`open offline ${variant}: ${result.posts} of ${args.posts} posts`);
          if (run >= 0) results[variant].push(result);
          if (run >= 0 && variant !== 'plain-y-indexeddb') sodiumReadyMs.push(await page.read('sodiumReadyMs'));
        } finally {
          await page.close();
        }
      }
    }
    const phase = (variant, field) => median(results[variant].map((r) => r[field]));
    const hearthNote = (variant) =>
      `${prepared.links[variant]} stored links; store and records read ${fmt(phase(variant, 'storeOpenedMs'))} ms, GroupLog.open done ${fmt(phase(variant, 'logOpenedMs'))} ms (cumulative)`;
    const plain = plainAvailable ? phase('plain-y-indexeddb', 'renderedMs') : null;
    const common = {
      unit: 'ms',
      baselineName: 'plain Yjs + y-indexeddb',
      ...(plainAvailable ? {} : { display: { baseline: 'y-indexeddb not installed' } }),
    };
    const sodium = `libsodium start-up in a fresh page (${fmt(median(sodiumReadyMs))} ms) is not counted`;
    return [
      {
        id: 'offline-checkpointed',
        figure: `Open offline ${args.posts} posts`,
        hearth: phase('hearth-checkpointed', 'renderedMs'),
        baseline: plain,
        goal: GOAL,
        note: `the chain as GroupLog.write left it; ${hearthNote('hearth-checkpointed')}; ${sodium}`,
        runs: results,
        ...common,
      },
      {
        id: 'offline-written',
        figure: `Open offline ${args.posts} posts, chain without checkpoints`,
        hearth: phase('hearth-written', 'renderedMs'),
        baseline: plain,
        goal: null,
        note: `reference: ${hearthNote('hearth-written')}`,
        ...common,
      },
    ];
  } finally {
    await context.close();
  }
}

const fmt = (ms) => (ms === null ? '–' : ms.toFixed(0));
