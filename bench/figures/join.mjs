// Figure 2: a new member receiving an N-post board from one peer until its board view holds all
// N. Hearth (GroupSession + envelope sync; the chain with its checkpoints, and without) against
// plain Yjs over the same chunked transport; and what stock y-webrtc (no chunking) delivers.
import { randomUUID } from 'node:crypto';
import { openBenchPage } from '../lib/browser.mjs';
import { median } from '../lib/stats.mjs';
import { benchChains } from './fixture.mjs';

const GOAL = { op: '<=', value: 1.5 };
const MEASURED = ['hearth-checkpointed', 'hearth-written', 'plain-chunked'];
const RUN_TIMEOUT_MS = 180_000;

export async function join(ctx) {
  const { args, pages, signaling, browsers, log } = ctx;
  const chains = await benchChains(ctx);
  const rooms = { chunked: `bench-chunked-${randomUUID()}`, stock: `bench-stock-${randomUUID()}` };
  const host = await openBenchPage(browsers.a, pages.url, log);
  try {
    const info = await host.call('joinHostStart', { signaling: signaling.url, rooms, chains: chains.packed, plainUpdate: chains.plainUpdate });
    if (info.posts !== args.posts) throw new Error(`join host holds ${info.posts} of ${args.posts} posts`);

    const joinOnce = async (variant, timeoutMs) => {
      // A fresh page per join: the measured thing is a new member's first sync.
      const joiner = await openBenchPage(browsers.b, pages.url, log);
      try {
        return await joiner.call('joinRun', { variant, signaling: signaling.url, posts: args.posts, rooms, timeoutMs });
      } finally {
        await joiner.close();
      }
    };

    const results = Object.fromEntries(MEASURED.map((variant) => [variant, []]));
    for (let run = -args.warmup; run < args.runs; run++) {
      // Rotate the order each run so load drift spreads over every variant; runs below 0 warm up.
      const order = MEASURED.map((_, i) => MEASURED[(((i + run) % MEASURED.length) + MEASURED.length) % MEASURED.length]);
      for (const variant of order) {
        const result = await joinOnce(variant, RUN_TIMEOUT_MS);
        if (!result.complete) throw new Error(`join ${variant}: received ${result.received} of ${args.posts} posts within ${RUN_TIMEOUT_MS} ms`);
        if (run >= 0) results[variant].push(result);
      }
      log(`join: run ${run < 0 ? 'warm-up' : run + 1} done`);
    }
    const stock = await joinOnce('plain-stock', args.stockTimeoutMs);
    log(`join: stock y-webrtc received ${stock.received} of ${args.posts}`);

    const summary = Object.fromEntries(
      MEASURED.map((variant) => [variant, { connected: median(results[variant].map((r) => r.connectedMs)), view: median(results[variant].map((r) => r.viewMs)) }]),
    );
    const phaseNote = (variant) => `envelope sync linked to the peer at ${fmt(summary[variant].connected)} ms`;
    const bytes = (links) => kib(links.reduce((sum, link) => sum + link.envelope.byteLength, 0));
    const plain = summary['plain-chunked'];
    return [
      {
        id: 'join-checkpointed',
        figure: `Join ${args.posts} posts`,
        unit: 'ms',
        hearth: summary['hearth-checkpointed'].view,
        baseline: plain.view,
        goal: GOAL,
        baselineName: 'plain Yjs, chunked y-webrtc',
        note: `the chain as GroupLog.write left it: ${chains.checkpointed.links.length} envelopes (latest checkpoint + updates, ${bytes(chains.checkpointed.links)}) vs plain ${kib(chains.checkpointed.plainUpdate.byteLength)}; the joiner keeps what it receives in IndexedDB, as the app does; ${phaseNote('hearth-checkpointed')} (y-webrtc with Hearth's signaling password derives a PBKDF2 key first)`,
        runs: results,
      },
      {
        id: 'join-written',
        figure: `Join ${args.posts} posts, chain without checkpoints`,
        unit: 'ms',
        hearth: summary['hearth-written'].view,
        baseline: plain.view,
        goal: null,
        baselineName: 'plain Yjs, chunked y-webrtc',
        note: `reference (checkpointAfter: Infinity): ${chains.written.links.length} envelopes, ${bytes(chains.written.links)}; ${phaseNote('hearth-written')}`,
      },
      {
        id: 'join-stock',
        figure: `Join ${args.posts} posts, stock y-webrtc`,
        unit: 'posts',
        hearth: null,
        baseline: stock.received,
        display: { baseline: `${stock.received} of ${args.posts} in ${args.stockTimeoutMs / 1000} s` },
        goal: null,
        baselineName: 'plain Yjs, stock y-webrtc (no chunking)',
        note:
          stock.received < args.posts
            ? `stock y-webrtc sends the whole state (${kib(chains.checkpointed.plainUpdate.byteLength)}) as one data-channel message; Chromium refuses messages over 256 KiB and y-webrtc swallows the error`
            : `the board (${kib(chains.checkpointed.plainUpdate.byteLength)}) fits in one data-channel message`,
        stock,
      },
    ];
  } finally {
    await host.close();
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const fmt = (ms) => (ms === null ? '–' : ms.toFixed(0));
