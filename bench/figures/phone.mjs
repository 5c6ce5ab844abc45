// Phone-class figures: the production build (what `npm start` serves) in Chromium, measured at
// full speed and with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate, a common stand-in
// for a mid-range phone), against a plain app on the same stack (lit + Yjs + y-indexeddb) built
// and served the same way, in the same run. Times are from navigation start (performance.now()).
import * as Y from 'yjs';
import { listenForMarks, MARKS_PRELUDE, startRun, waitMarks } from '../lib/marks.mjs';
import { median } from '../lib/stats.mjs';
import { benchChains } from './fixture.mjs';

const RATES = [4, 1];
const NEWEST = 20;
const TARGETS = {
  openNewest: { op: '<=', value: 500 },
  firstVisit: { op: '<=', value: 1000 },
  reopen: { op: '<=', value: 300 },
  share: { op: '<=', value: 100 },
};

/**
 * Runs in every page from its first script: each animation frame, notes when the newest posts
 * and the whole board are on screen, in the app (hearth-app → hearth-board → the board window)
 * or in the plain page (#list), and when the first usable field is there, and reports each new
 * mark through the console (bench/lib/marks.mjs).
 */
function watchScreen() {
  const marks = {};
  const shadow = (root, selector) => root?.shadowRoot?.querySelector(selector) ?? null;
  const tick = () => {
    const wanted = window.PHONE_POSTS ?? 0;
    const newest = window.PHONE_NEWEST;
    const at = performance.now();
    // The first frame of any page: what an empty page is measured by.
    marks.frame ??= at;
    const app = document.querySelector('hearth-app');
    if (app) {
      marks.field ??= shadow(shadow(app, 'hearth-welcome'), '#name') ? at : undefined;
      const board = shadow(app, 'hearth-board');
      const list = shadow(board, 'hearth-board-window');
      // The whole board, not the recent page shown while it loads (a 20-post page is all of it).
      const loaded = board?.board?.loading === undefined;
      const first = list?.shadowRoot?.querySelector('li hearth-post');
      const shown = list?.shadowRoot?.querySelectorAll('li').length ?? 0;
      if (first && wanted > 0 && first.post?.record.body.startsWith(newest) && shown >= Math.min(NEWEST_POSTS, wanted)) marks.newest ??= at;
      if (marks.newest !== undefined && loaded && list?.items.length === wanted) marks.whole ??= at;
      // At least the whole board (a Share adds to it): what the Share rows wait for.
      if (list && loaded && list.items.length >= wanted) marks.listed ??= at;
    } else if (window.plainBoard) {
      marks.field ??= at;
      const list = document.getElementById('list');
      if (wanted > 0 && list.childElementCount >= Math.min(NEWEST_POSTS, wanted) && list.firstElementChild.textContent.includes(newest)) marks.newest ??= at;
      if (marks.newest !== undefined && list.childElementCount === wanted) marks.whole ??= at;
      if (list.childElementCount >= wanted) marks.listed ??= at;
    }
    reportMarks(marks);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

/** Every page of a measured context runs watchScreen from its first script. */
const WATCH_SCRIPT = `${MARKS_PRELUDE} const NEWEST_POSTS = ${NEWEST}; (${watchScreen})();`;

/** The page a variant opens a board with: the app, or the plain page reading its N-post database. */
const boardPath = (variant, posts) => (variant === 'hearth' ? '/' : `/bench/pages/plain.html#plain-${posts}`);

/**
 * A fresh page at `rate`. It first loads a blank page of the app's origin, so the renderer the
 * CDP session (throttle, memory) is attached to is the one the measured page then runs in.
 */
async function throttledPage(context, url, rate, log) {
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && log(`page console: ${message.text()}`));
  listenForMarks(page);
  await page.goto(`${url}/bench/pages/blank.html`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return { page, cdp };
}

/**
 * How the newest post's body starts ("#index "): newest by createdAt, then by id, as both the
 * app and the plain page order them (posts written in one millisecond tie on createdAt).
 */
function newestPrefix(plainUpdate) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Buffer.from(plainUpdate, 'base64url'));
  const posts = [...doc.getMap('posts').values()].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  return `${posts[0].body.split(' ')[0]} `;
}

const describePage = (posts, newest) => `window.PHONE_POSTS = ${posts}; window.PHONE_NEWEST = ${JSON.stringify(newest)};`;

/** A browser profile holding an N-post board for the app and for the plain page, service worker installed. */
async function seededProfile(ctx, url, posts) {
  const { browsers, log } = ctx;
  const chains = await benchChains({ ...ctx, args: { ...ctx.args, posts } });
  const context = await browsers.a.newContext();
  await context.addInitScript(WATCH_SCRIPT);
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`page error: ${error.message}`));
  listenForMarks(page);
  await page.goto(`${url}/bench/pages/phone.html`);
  await page.waitForFunction(() => window.hearthPhone !== undefined);
  await page.evaluate((options) => window.hearthPhone.seedApp(options), { packed: chains.packed.checkpointed, keyringVariant: 1 });
  await page.evaluate((options) => window.hearthPhone.seedPlain(options), { database: `plain-${posts}`, update: chains.plainUpdate });
  await page.addInitScript(describePage(posts, newestPrefix(chains.plainUpdate)));
  const run = await startRun(page);
  // The app's first open installs its service worker; later opens come from it, as an installed app's do.
  await page.goto(`${url}/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, null, { timeout: 60_000 });
  await waitMarks(page, ['whole'], run);
  await page.close();
  return { context, newest: newestPrefix(chains.plainUpdate) };
}

/** Opens `path` in a fresh page of `context` at `rate`, runs `during` if given, returns the marks and what `during` measured. */
async function openAt({ context, newest }, url, path, rate, posts, log, fields, during) {
  const { page, cdp } = await throttledPage(context, url, rate, log);
  try {
    await page.addInitScript(describePage(posts, newest));
    const run = await startRun(page);
    await page.goto(`${url}${path}`);
    const marks = await waitMarks(page, fields, run);
    // The throttle must be in effect in the page measured: a fixed loop, timed there, shows it.
    const loopMs = await page.evaluate(() => {
      const start = performance.now();
      let x = 0;
      for (let i = 0; i < 5e6; i++) x = (x + i * 7) % 1_000_003;
      return performance.now() - start + (x < 0 ? 1 : 0);
    });
    return { ...marks, loopMs, ...(during ? await during(page, cdp) : {}) };
  } finally {
    await page.close();
  }
}

/**
 * Memory with the board open: the JS heap after a garbage collection (CDP), and the DOM nodes
 * of the document, every shadow root included, counted in the page.
 */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const nodes = await page.evaluate(() => {
    let count = 0;
    const walk = (root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_ALL);
      for (let node = walker.currentNode; node; node = walker.nextNode()) {
        count++;
        if (node.shadowRoot) walk(node.shadowRoot);
      }
    };
    walk(document);
    return count;
  });
  return { heapBytes: heap.usedSize, nodes };
}

/** Taps Share with a new post and waits for it at the top of the board; ms from the tap. */
function shareApp(page) {
  return page.evaluate(async () => {
    const shadow = (root, selector) => root?.shadowRoot?.querySelector(selector) ?? null;
    const board = shadow(document.querySelector('hearth-app'), 'hearth-board');
    const composer = shadow(board, 'hearth-composer');
    // The composer rests folded to one line; open it first, as a person taps it.
    if (!composer.shadowRoot.querySelector('textarea')) {
      [...composer.shadowRoot.querySelectorAll('button')].find((b) => /Write a post|Continue your draft/.test(b.textContent)).click();
      await composer.updateComplete;
    }
    const field = composer.shadowRoot.querySelector('textarea');
    const body = `Shared at ${Date.now()}`;
    field.value = body;
    field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    const button = [...composer.shadowRoot.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Share');
    const start = performance.now();
    button.click();
    return new Promise((resolve) => {
      const tick = () => {
        const first = shadow(board, 'hearth-board-window')?.shadowRoot?.querySelector('li hearth-post');
        if (first?.post?.record.body === body) resolve(performance.now() - start);
        else requestAnimationFrame(tick);
      };
      tick();
    });
  });
}

function sharePlain(page) {
  return page.evaluate(async () => {
    const body = `Shared at ${Date.now()}`;
    const list = document.getElementById('list');
    const start = performance.now();
    window.plainBoard.share(body);
    return new Promise((resolve) => {
      const tick = () => {
        if (list.firstElementChild?.textContent.includes(body)) resolve(performance.now() - start);
        else requestAnimationFrame(tick);
      };
      tick();
    });
  });
}

const rateLabel = (rate) => (rate === 1 ? 'full speed' : `${rate}× CPU throttle`);

export async function phone(ctx) {
  const { args, log, pages } = ctx;
  const rows = [];
  const runs = args.runs;
  const repeat = async (label, measure, variants = ['hearth', 'plain']) => {
    const values = Object.fromEntries(variants.map((variant) => [variant, []]));
    for (let run = -args.warmup; run < runs; run++) {
      // Alternate the order, so load drift spreads over every variant.
      const order = run % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        // One failed run is reported and left out; the figure goes on.
        const value = await measure(variant).catch((error) => void log(`phone: ${label} ${variant} run ${run} failed: ${error.message}`));
        if (run >= 0 && value !== undefined) values[variant].push(value);
      }
    }
    log(`phone: ${label}: ${JSON.stringify(values)}`);
    return values;
  };
  const med = (values, pick) => median(values.map(pick));

  const parts = new Set(args.phoneParts);
  // First visit: a fresh profile, nothing cached, to the first field a newcomer can type in.
  for (const rate of parts.has('first-visit') ? RATES : []) {
    const values = await repeat(`first visit ${rate}×`, async (variant) => {
      const context = await ctx.browsers.a.newContext();
      await context.addInitScript(WATCH_SCRIPT);
      try {
        const { page } = await throttledPage(context, pages.url, rate, log);
        const run = await startRun(page);
        await page.goto(`${pages.url}${variant === 'hearth' ? '/' : '/bench/pages/plain.html'}`);
        return (await waitMarks(page, ['field'], run)).field;
      } finally {
        await context.close();
      }
    });
    rows.push({
      id: `phone-first-visit-${rate}x`,
      figure: `First visit to a usable onboarding field, ${rateLabel(rate)}`,
      unit: 'ms',
      hearth: med(values.hearth, (v) => v),
      baseline: med(values.plain, (v) => v),
      goal: null,
      target: rate === 4 ? TARGETS.firstVisit : null,
      baselineName: 'plain lit + Yjs + y-indexeddb page, its field usable once its module ran',
      note: 'fresh profile, production build served by vite preview; Hearth: the display-name field rendered by <hearth-welcome>',
    });
  }

  const sizes = parts.has('boards') ? [20, Math.min(1_000, args.posts), args.posts] : parts.has('share') ? [args.posts] : [];
  for (const posts of new Set(sizes)) {
    log(`phone: seeding a ${posts}-post profile`);
    const profile = await seededProfile(ctx, pages.url, posts);
    const context = profile.context;
    try {
      await context.setOffline(true);
      for (const rate of parts.has('boards') ? RATES : []) {
        // A 20-post board is also measured against an empty page of the same origin, opened the
        // same way: the floor under the reopen target, before any app code runs.
        const values = await repeat(
          `open ${posts} ${rate}×`,
          (variant) =>
            variant === 'empty'
              ? openAt(profile, pages.url, '/bench/pages/blank.html', rate, posts, log, ['frame'])
              : openAt(profile, pages.url, boardPath(variant, posts), rate, posts, log, ['newest', 'whole']),
          posts === 20 ? ['hearth', 'plain', 'empty'] : undefined,
        );
        if (posts === 20) {
          rows.push({
            id: `phone-reopen-${rate}x`,
            figure: `Reopen a 20-post board to its newest post, offline through the service worker, ${rateLabel(rate)}`,
            unit: 'ms',
            hearth: med(values.hearth, (v) => v.newest),
            baseline: med(values.plain, (v) => v.newest),
            goal: null,
            target: rate === 4 ? TARGETS.reopen : null,
            baselineName: 'plain page, same service worker',
            note: 'no app lock',
          });
          rows.push({
            id: `phone-reopen-vs-empty-${rate}x`,
            figure: `Reopen a 20-post board to its newest post, against an empty page's first frame, ${rateLabel(rate)}`,
            unit: 'ms',
            hearth: med(values.hearth, (v) => v.newest),
            baseline: med(values.empty, (v) => v.frame),
            goal: null,
            baselineName: 'an empty HTML page of the same origin (no script, no style), offline through the same service worker, to its first animation frame',
            note: 'what the browser needs before any app code runs: the floor under the reopen target',
          });
          continue;
        }
        rows.push(
          {
            id: `phone-open-newest-${posts}-${rate}x`,
            figure: `Open offline ${posts} posts: newest ${NEWEST} on screen, ${rateLabel(rate)}`,
            unit: 'ms',
            hearth: med(values.hearth, (v) => v.newest),
            baseline: med(values.plain, (v) => v.newest),
            goal: null,
            target: rate === 4 && posts === args.posts ? TARGETS.openNewest : null,
            baselineName: 'plain Yjs + y-indexeddb, everything rendered',
            note: 'the app opening its last group from the service worker with the network off',
          },
          {
            id: `phone-open-whole-${posts}-${rate}x`,
            figure: `Open offline ${posts} posts: whole board loaded, ${rateLabel(rate)}`,
            unit: 'ms',
            hearth: med(values.hearth, (v) => v.whole),
            baseline: med(values.plain, (v) => v.whole),
            goal: null,
            baselineName: 'plain Yjs + y-indexeddb',
          },
        );
      }
      // Memory at 1,000 and N posts (the board's DOM must not grow with it), at full speed.
      if (parts.has('boards') && (posts === args.posts || posts === Math.min(1_000, args.posts))) {
        const mem = await repeat(`memory ${posts}`, (variant) =>
          openAt(profile, pages.url, boardPath(variant, posts), 1, posts, log, ['whole'], memory),
        );
        rows.push(
          {
            id: `phone-heap-${posts}`,
            figure: `JS heap with ${posts} posts open`,
            unit: 'bytes',
            hearth: med(mem.hearth, (v) => v.heapBytes),
            baseline: med(mem.plain, (v) => v.heapBytes),
            goal: null,
            baselineName: 'plain page, every post rendered',
            note: 'CDP Runtime.getHeapUsage after a forced garbage collection',
          },
          {
            id: `phone-nodes-${posts}`,
            figure: `DOM nodes with ${posts} posts open`,
            unit: 'nodes',
            hearth: med(mem.hearth, (v) => v.nodes),
            baseline: med(mem.plain, (v) => v.nodes),
            goal: null,
            baselineName: 'plain page, every post rendered',
            note: 'nodes of the document, every shadow root included, counted in the page',
          },
        );
      }
      // Share with the big board open, 4×. Each Share adds a post, so these runs wait for at
      // least the board, not exactly it.
      if (parts.has('share') && posts === args.posts) {
        const share = await repeat(`share ${posts} 4×`, (variant) =>
          openAt(
            profile,
            pages.url,
            boardPath(variant, posts),
            4,
            posts,
            log,
            ['listed'],
            (page) => (variant === 'hearth' ? shareApp(page) : sharePlain(page)).then((shareMs) => ({ shareMs })),
          ),
        );
        rows.push({
          id: `phone-share-${posts}-4x`,
          figure: `Share to the post on screen with ${posts} posts, ${rateLabel(4)}`,
          unit: 'ms',
          hearth: med(share.hearth, (v) => v.shareMs),
          baseline: med(share.plain, (v) => v.shareMs),
          goal: null,
          target: TARGETS.share,
          baselineName: 'plain page: set in the Y.Map, re-rendered from its observer',
          note: 'Hearth: sealed, signed and committed to IndexedDB before it shows',
        });
      }
    } finally {
      await context.close();
    }
  }
  return rows;
}
