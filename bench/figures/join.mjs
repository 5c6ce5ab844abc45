// Figure 2: a new member syncing an N-post board from one peer to its full view. Hearth (log as
// written, and after compact()) against plain Yjs over the same chunked transport; and what
// stock y-webrtc (no chunking) delivers at all.
import { randomUUID } from 'node:crypto';
import { openBenchPage } from '../lib/browser.mjs';
import { median } from '../lib/stats.mjs';

const GOAL = { op: '<=', value: 1.5 };
const MEASURED = ['hearth-written', 'hearth-compacted', 'plain-chunked'];
const RUN_TIMEOUT_MS = 180_000;

export async function join(ctx) {
  const { args, server, signaling, browsers, log } = ctx;
  const rooms = { chunked: `bench-chunked-${randomUUID()}`, stock: `bench-stock-${randomUUID()}` };
  const host = await openBenchPage(browsers.a, server.url, log);
  try {
    const info = await host.call('joinHostStart', { signaling: signaling.url, posts: args.posts, rooms });
    log(`join: host holds ${args.posts} posts (log ${kib(info.writtenLogBytes)}, compacted ${kib(info.compactedLogBytes)}, plain ${kib(info.plainBytes)})`);

    const joinOnce = async (variant, timeoutMs) => {
      // A fresh page per join: the measured thing is a new member's first sync.
      const joiner = await openBenchPage(browsers.b, server.url, log);
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

    const phases = (variant) => ({
      connected: median(results[variant].map((r) => r.connectedMs)),
      data: median(results[variant].map((r) => r.dataMs)),
      view: median(results[variant].map((r) => r.viewMs)),
    });
    const summary = Object.fromEntries(MEASURED.map((variant) => [variant, phases(variant)]));
    const phaseNote = (variant) => {
      const p = summary[variant];
      return `peer connected ${fmt(p.connected)} ms, all posts in doc ${fmt(p.data)} ms`;
    };
    const plain = summary['plain-chunked'];
    return [
      {
        id: 'join-written',
        figure: `Join ${args.posts} posts, log as written`,
        unit: 'ms',
        hearth: summary['hearth-written'].view,
        baseline: plain.view,
        goal: GOAL,
        baselineName: 'plain Yjs, chunked y-webrtc',
        note: `one envelope per post (${kib(info.writtenLogBytes)} vs ${kib(info.plainBytes)}); Hearth: ${phaseNote('hearth-written')}; plain: ${phaseNote('plain-chunked')}`,
        runs: results,
      },
      {
        id: 'join-compacted',
        figure: `Join ${args.posts} posts, compacted log`,
        unit: 'ms',
        hearth: summary['hearth-compacted'].view,
        baseline: plain.view,
        goal: GOAL,
        baselineName: 'plain Yjs, chunked y-webrtc',
        note: `one snapshot (${kib(info.compactedLogBytes)}); Hearth: ${phaseNote('hearth-compacted')}`,
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
            ? `stock y-webrtc sends the whole state (${kib(info.plainBytes)}) as one data-channel message; Chromium refuses messages over 256 KiB and y-webrtc swallows the error`
            : `the board (${kib(info.plainBytes)}) fits in one data-channel message`,
        stock,
      },
    ];
  } finally {
    await host.close();
  }
}

const kib = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;
const fmt = (ms) => (ms === null ? '–' : ms.toFixed(0));
