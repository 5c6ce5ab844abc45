// Figure 1: a post from peer A to peer B's board view, over WebRTC between two Chromium
// processes: Hearth (GroupLog on IndexedDB + GroupSession) against plain y-webrtc, and Hearth
// with its chain in memory only, which tells what the commit before sending costs.
import { randomUUID } from 'node:crypto';
import { openBenchPage } from '../lib/browser.mjs';
import { percentile } from '../lib/stats.mjs';

const GOAL = { op: '<=', value: 1.2 };

export async function propagation(ctx) {
  const { args, pages, signaling, browsers, log } = ctx;
  const pinger = await openBenchPage(browsers.a, pages.url, log);
  const responder = await openBenchPage(browsers.b, pages.url, log);
  try {
    const plainRoom = `bench-plain-${randomUUID()}`;
    await responder.call('propagationStart', { role: 'responder', signaling: signaling.url, plainRoom });
    await pinger.call('propagationStart', { role: 'pinger', signaling: signaling.url, plainRoom });
    await Promise.all([pinger.call('propagationConnected'), responder.call('propagationConnected')]);
    const warmup = Math.min(20, Math.max(2, Math.round(args.samples / 5)));
    log(`propagation: ${warmup} warm-up + ${args.samples} round trips per variant`);
    const times = await pinger.call('propagationRun', { rounds: args.samples, warmup, gapMs: 20, timeoutMs: 10_000 });
    const detail = `one way = round trip / 2, ${args.samples} samples each; Hearth commits each post to IndexedDB before sending it (as the app does)`;
    const memory = (p) => `${percentile(times['hearth-memory'], p).toFixed(2)} ms with the chain in memory only (no disk)`;
    const row = (p, id, label) => ({
      id,
      figure: `Propagation A→B, ${label}`,
      unit: 'ms',
      hearth: percentile(times.hearth, p),
      baseline: percentile(times.plain, p),
      goal: GOAL,
      baselineName: 'plain y-webrtc',
      note: `${detail}; Hearth ${memory(p)}`,
    });
    return [{ ...row(50, 'propagation-median', 'median'), samples: times }, row(95, 'propagation-p95', 'p95')];
  } finally {
    await Promise.all([pinger.close(), responder.close()]);
  }
}
