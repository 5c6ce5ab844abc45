// Figure 1: a post from peer A to peer B's board view, over WebRTC between two Chromium
// processes, Hearth (GroupSession) against plain y-webrtc on an unencrypted doc.
import { randomUUID } from 'node:crypto';
import { openBenchPage } from '../lib/browser.mjs';
import { percentile } from '../lib/stats.mjs';

const GOAL = { op: '<=', value: 1.2 };

export async function propagation(ctx) {
  const { args, server, signaling, browsers, log } = ctx;
  const pinger = await openBenchPage(browsers.a, server.url, log);
  const responder = await openBenchPage(browsers.b, server.url, log);
  try {
    const plainRoom = `bench-plain-${randomUUID()}`;
    await responder.call('propagationStart', { role: 'responder', signaling: signaling.url, plainRoom });
    await pinger.call('propagationStart', { role: 'pinger', signaling: signaling.url, plainRoom });
    await Promise.all([pinger.call('propagationConnected'), responder.call('propagationConnected')]);
    const warmup = Math.min(20, Math.max(2, Math.round(args.samples / 5)));
    log(`propagation: ${warmup} warm-up + ${args.samples} round trips per variant`);
    const times = await pinger.call('propagationRun', { rounds: args.samples, warmup, gapMs: 20, timeoutMs: 10_000 });
    const detail = `one way = round trip / 2, ${args.samples} samples each`;
    return [
      {
        id: 'propagation-median',
        figure: 'Propagation A→B, median',
        unit: 'ms',
        hearth: percentile(times.hearth, 50),
        baseline: percentile(times.plain, 50),
        goal: GOAL,
        baselineName: 'plain y-webrtc',
        note: detail,
        samples: times,
      },
      {
        id: 'propagation-p95',
        figure: 'Propagation A→B, p95',
        unit: 'ms',
        hearth: percentile(times.hearth, 95),
        baseline: percentile(times.plain, 95),
        goal: GOAL,
        baselineName: 'plain y-webrtc',
        note: detail,
      },
    ];
  } finally {
    await Promise.all([pinger.close(), responder.close()]);
  }
}
