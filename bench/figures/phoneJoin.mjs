// Phone-class join figures: a newcomer's device opening the production build (what `npm start`
// serves) for the first time after being admitted, with no envelope yet, in Chromium with the CPU
// at full speed and throttled 4× (CDP Emulation.setCPUThrottlingRate), while one member's device
// (full speed, another browser process) holds an N-post board. Against plain Yjs + y-webrtc built
// and served the same way, in the same run. Times are from the newcomer's page linking to the
// member (Hearth: its sync status says it is connected; plain: y-webrtc's connection is up).
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { listenForMarks, MARKS_PRELUDE, startRun, waitMarks } from '../lib/marks.mjs';
import { median } from '../lib/stats.mjs';
import { startProductionServer } from '../lib/production.mjs';
import { benchChains } from './fixture.mjs';

const RATES = [4, 1];
const NEWEST = 20;
const TARGET = { op: '<=', value: 2000 };
const RUN_TIMEOUT_MS = 180_000;
/** Newcomer seeds: a fresh key for every run, so no two runs are one device writing two chains. */
const FIRST_NEWCOMER_SEED = 10;

/**
 * Runs in every page from its first script: each animation frame, notes when the page linked to a
 * member, when the newest posts and the whole board are on screen, and when the board said it
 * was catching up (hearth-app → hearth-board; or the plain page's #list), and reports each new
 * mark through the console (bench/lib/marks.mjs).
 */
function watchJoin(newestPosts) {
  const marks = {};
  const shadow = (root, selector) => root?.shadowRoot?.querySelector(selector) ?? null;
  const tick = () => {
    const wanted = window.PHONE_POSTS ?? 0;
    const newest = window.PHONE_NEWEST;
    const at = performance.now();
    const app = document.querySelector('hearth-app');
    const board = shadow(app, 'hearth-board');
    if (board) {
      const state = shadow(shadow(board, 'hearth-meeting-bar'), 'p.state')?.textContent ?? '';
      if (/Connected to|Up to date with/.test(state)) marks.peer ??= at;
      if (/Catching up with the group: the newest/.test(board.shadowRoot.textContent)) marks.catchingUp ??= at;
      const list = shadow(board, 'hearth-board-window');
      const first = list?.shadowRoot?.querySelector('li hearth-post');
      const shown = list?.shadowRoot?.querySelectorAll('li').length ?? 0;
      if (first && wanted > 0 && first.post?.record.body.startsWith(newest) && shown >= Math.min(newestPosts, wanted)) marks.newest ??= at;
      if (marks.newest !== undefined && list?.items.length === wanted) marks.whole ??= at;
    } else if (window.plainJoin && !app) {
      if (window.plainJoin.peers() > 0) marks.peer ??= at;
      const list = document.getElementById('list');
      if (wanted > 0 && list.childElementCount >= Math.min(newestPosts, wanted) && list.firstElementChild.textContent.includes(newest)) marks.newest ??= at;
      if (marks.newest !== undefined && list.childElementCount === wanted) marks.whole ??= at;
    }
    reportMarks(marks);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** How the newest post's body starts ("#index "), newest by createdAt then id, as both boards order them. */
function newestPrefix(plainUpdate) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(plainUpdate, 'base64url'));
  const posts = [...doc.getMap('posts').values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return `${posts[0].body.split(' ')[0]} `;
}

const initScript = (posts, newest) =>
  `${MARKS_PRELUDE} window.PHONE_POSTS = ${posts}; window.PHONE_NEWEST = ${JSON.stringify(newest)}; (${watchJoin})(${NEWEST});`;

/** Logs the page's errors, and keeps the marks it reports. */
const watchPage = (page, log) => {
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && log(`page console: ${message.text()}`));
  listenForMarks(page);
};

/** The member: the writer's device in the app with the whole board open, and the plain board in its room. */
async function openMember(ctx, url, chains, posts, newest, plainRoom) {
  const { browsers, signaling, log } = ctx;
  const context = await browsers.a.newContext();
  await context.addInitScript(initScript(posts, newest));
  const app = await context.newPage();
  watchPage(app, log);
  await app.goto(`${url}/bench/pages/phone.html`);
  await app.waitForFunction(() => window.hearthPhone !== undefined);
  await app.evaluate((options) => window.hearthPhone.seedApp(options), { packed: chains.packed.checkpointed, keyringVariant: 1 });
  const run = await startRun(app);
  await app.goto(`${url}/?signaling=${encodeURIComponent(signaling.url)}`);
  await waitMarks(app, ['whole'], run, RUN_TIMEOUT_MS);
  const plain = await context.newPage();
  watchPage(plain, log);
  await plain.goto(`${url}/bench/pages/phoneJoin.html`);
  await plain.waitForFunction(() => window.plainJoin !== undefined);
  await plain.evaluate((options) => window.plainJoin.hostPlain(options), { update: chains.plainUpdate, room: plainRoom, signaling: signaling.url });
  return context;
}

/** One newcomer, in a fresh profile of the other browser, at `rate`; its marks. */
async function joinOnce(ctx, url, { variant, rate, posts, newest, seed, plainRoom }) {
  const { browsers, signaling, log } = ctx;
  const context = await browsers.b.newContext();
  try {
    await context.addInitScript(initScript(posts, newest));
    const page = await context.newPage();
    watchPage(page, log);
    await page.goto(`${url}/bench/pages/phoneJoin.html`);
    await page.waitForFunction(() => window.plainJoin !== undefined);
    if (variant === 'hearth') await page.evaluate((options) => window.plainJoin.seedNewcomer(options), { seed, keyringVariant: 1 });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate });
    const run = await startRun(page);
    if (variant === 'hearth') {
      await page.goto(`${url}/?signaling=${encodeURIComponent(signaling.url)}`);
    } else {
      await page.goto(`${url}/bench/pages/phoneJoin.html#plain`);
      await page.waitForFunction(() => window.plainJoin !== undefined);
      // Only the fragment changed, so the document (and its run tag) stayed: tag it here.
      await page.evaluate(
        ({ options, run }) => {
          window.BENCH_RUN = run;
          window.plainJoin.joinPlain(options);
        },
        { options: { room: plainRoom, signaling: signaling.url }, run },
      );
    }
    return await waitMarks(page, ['peer', 'newest', 'whole'], run, RUN_TIMEOUT_MS);
  } finally {
    await context.close();
  }
}

const rateLabel = (rate) => (rate === 1 ? 'full speed' : `${rate}× CPU throttle`);
const fmt = (ms) => (ms === null || ms === undefined ? '–' : ms.toFixed(0));

export async function phoneJoin(ctx) {
  const { args, log } = ctx;
  const server = await startProductionServer(log, { phoneJoin: 'bench/pages/phoneJoin.html' });
  const rows = [];
  let seed = FIRST_NEWCOMER_SEED;
  try {
    for (const posts of new Set([Math.min(1_000, args.posts), args.posts])) {
      const chains = await benchChains({ ...ctx, args: { ...ctx.args, posts } });
      const newest = newestPrefix(chains.plainUpdate);
      const plainRoom = `bench-phone-join-${randomUUID()}`;
      log(`phone-join: the member opens ${posts} posts`);
      const member = await openMember(ctx, server.url, chains, posts, newest, plainRoom);
      try {
        for (const rate of RATES) {
          const values = { hearth: [], plain: [] };
          for (let run = -args.warmup; run < args.runs; run++) {
            const order = run % 2 === 0 ? ['hearth', 'plain'] : ['plain', 'hearth'];
            for (const variant of order) {
              const marks = await joinOnce(ctx, server.url, { variant, rate, posts, newest, seed: seed++, plainRoom }).catch(
                (error) => void log(`phone-join: ${posts} ${rate}× ${variant} run ${run} failed: ${error.message}`),
              );
              if (run >= 0 && marks) values[variant].push(marks);
            }
          }
          log(`phone-join: ${posts} posts ${rate}×: ${JSON.stringify(values)}`);
          const med = (variant, pick) => median(values[variant].map(pick));
          const sincePeer = (name) => (m) => m[name] - m.peer;
          const caught = values.hearth.filter((m) => m.catchingUp !== undefined && m.catchingUp <= m.newest).length;
          const note = `newcomer's first open, ${values.hearth.length} Hearth / ${values.plain.length} plain runs; linked to the member at ${fmt(med('hearth', (m) => m.peer))} ms (Hearth) and ${fmt(med('plain', (m) => m.peer))} ms (plain) after navigation`;
          rows.push(
            {
              id: `phone-join-newest-${posts}-${rate}x`,
              figure: `Join ${posts} posts: newest ${NEWEST} on screen after linking to a member, ${rateLabel(rate)}`,
              unit: 'ms',
              hearth: med('hearth', sincePeer('newest')),
              baseline: med('plain', sincePeer('newest')),
              goal: null,
              target: rate === 4 && posts === args.posts ? TARGET : null,
              baselineName: 'plain Yjs + y-webrtc (chunked data channels), every post rendered',
              note: `${note}; Hearth showed the catch-up page (marked "Catching up") first in ${caught} of ${values.hearth.length} runs`,
            },
            {
              id: `phone-join-whole-${posts}-${rate}x`,
              figure: `Join ${posts} posts: whole board loaded after linking to a member, ${rateLabel(rate)}`,
              unit: 'ms',
              hearth: med('hearth', sincePeer('whole')),
              baseline: med('plain', sincePeer('whole')),
              goal: null,
              baselineName: 'plain Yjs + y-webrtc (chunked data channels)',
              note: 'Hearth: every author chain received, checked and applied (latest checkpoint + tail)',
            },
          );
        }
      } finally {
        await member.close();
      }
    }
  } finally {
    await server.close();
  }
  return rows;
}
