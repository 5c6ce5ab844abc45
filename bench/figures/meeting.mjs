// Figure 7: a meeting. M members in one room, each a page in its own browser context (so only
// WebRTC carries the sync; contexts are spread over the two Chromium processes), P posts written
// at one agreed instant, spread across members; the time until every member's board holds all
// P. Hearth (GroupLog on IndexedDB + GroupSession) against plain y-webrtc with the same members
// and the same signed records. Each variant gets a fresh room per run.
import { randomUUID } from 'node:crypto';
import { openBenchPage } from '../lib/browser.mjs';
import { median } from '../lib/stats.mjs';

const GOAL = { op: '<=', value: 1.5 };
const VARIANTS = ['hearth', 'plain'];
const CONNECT_TIMEOUT_MS = 90_000;
const RUN_TIMEOUT_MS = 120_000;
/** Between two members joining the room (not measured). */
const JOIN_GAP_MS = 300;
/** Lead time for the agreed start, so every page is waiting when it comes. */
const START_LEAD_MS = 2000;

const wallNow = () => performance.timeOrigin + performance.now();
const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function meeting(ctx) {
  const rows = [];
  for (const members of ctx.args.meetingMembers) rows.push(await meetingOf(ctx, members));
  return rows;
}

async function meetingOf(ctx, size) {
  const { args, pages: production, signaling, browsers, log } = ctx;
  const posts = args.meetingPosts;
  const contexts = [];
  const pages = [];
  try {
    for (let i = 0; i < size; i++) {
      const context = await (i % 2 === 0 ? browsers.a : browsers.b).newContext();
      contexts.push(context);
      pages.push(await openBenchPage(context, production.url, log));
    }
    const shares = pages.map((_, member) => Array.from({ length: posts }, (_, i) => i).filter((i) => i % size === member));
    const results = { hearth: [], plain: [] };
    const lateStarts = [];
    const received = [];
    for (let run = 0; run < args.meetingRuns; run++) {
      const order = run % 2 === 0 ? VARIANTS : [...VARIANTS].reverse();
      for (const variant of order) {
        const group = 100 + size * 10 + run;
        const plainRoom = `bench-meeting-${randomUUID()}`;
        const connectStart = performance.now();
        // Members arrive one after another, as at a meeting: y-webrtc peers that announce at the
        // same instant both dial each other, and some of those pairs never connect.
        for (const [index, page] of pages.entries()) {
          await page.call('meetingJoin', { variant, index, signaling: signaling.url, group, plainRoom });
          await delay(JOIN_GAP_MS);
        }
        try {
          await Promise.all(pages.map((page) => page.call('meetingConnected', { peers: size - 1, timeoutMs: CONNECT_TIMEOUT_MS })));
          const connectedS = ((performance.now() - connectStart) / 1000).toFixed(1);
          const startAt = wallNow() + START_LEAD_MS;
          const done = await Promise.all(pages.map((page, member) => page.call('meetingRun', { startAt, mine: shares[member], total: posts, timeoutMs: RUN_TIMEOUT_MS })));
          const ms = Math.max(...done.map((d) => d.doneAt)) - startAt;
          lateStarts.push(Math.max(...done.map((d) => d.lateStartMs)));
          if (variant === 'hearth') received.push(done.reduce((sum, d) => sum + d.envelopesReceived, 0) / size);
          results[variant].push(ms);
          log(`meeting ${size}: run ${run + 1} ${variant} ${ms.toFixed(0)} ms (mesh formed in ${connectedS} s)`);
        } finally {
          await Promise.all(pages.map((page) => page.call('meetingLeave')));
        }
        // Let the signaling server see everyone leave before the next room fills.
        await delay(300);
      }
    }
    return {
      id: `meeting-${size}`,
      figure: `A meeting: ${size} members, ${posts} posts`,
      unit: 'ms',
      hearth: median(results.hearth),
      baseline: median(results.plain),
      goal: GOAL,
      baselineName: 'plain y-webrtc, same members and records',
      note: `until every member's board holds all ${posts} posts, from one agreed start (the last page began ${Math.max(...lateStarts).toFixed(0)} ms after it); ${size} pages in separate contexts over 2 Chromium processes, full mesh; a Hearth member received ${median(received).toFixed(0)} envelopes on average (relays included) for the ${posts - Math.ceil(posts / size)}–${posts - Math.floor(posts / size)} it lacked; median of ${args.meetingRuns} runs (Hearth ${results.hearth.map((v) => v.toFixed(0)).join(', ')}; plain ${results.plain.map((v) => v.toFixed(0)).join(', ')} ms)`,
      runs: results,
    };
  } finally {
    await Promise.all(pages.map((page) => page.close().catch(() => {})));
    await Promise.all(contexts.map((context) => context.close().catch(() => {})));
  }
}
