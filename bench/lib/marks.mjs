// Marks a measured page reports about itself through its console: a watcher script (run in the
// page from its first script) notes when things are on screen and calls reportMarks; the bench
// reads the reports from CDP and runs no script of its own in the page while it measures
// (Playwright's injected script, which waitForFunction evaluates there, took tens of ms of the
// page's main thread at 4× CPU throttle while it loaded).

/** How the reports start in the page's console. */
const MARKS_PREFIX = '__bench_marks ';

/**
 * Defines reportMarks(marks) in the page, ahead of a watcher: it logs the marks each time one
 * more is set, tagged with the run that startRun set before the page loaded.
 */
export const MARKS_PRELUDE = `const reportMarks = (() => {
  let reported = 0;
  return (marks) => {
    const set = Object.values(marks).filter((value) => value !== undefined).length;
    if (set <= reported) return;
    reported = set;
    console.debug(${JSON.stringify(MARKS_PREFIX)} + JSON.stringify({ run: window.BENCH_RUN ?? 0, marks }));
  };
})();`;

/** Each page's reported marks by run, as its console carries them. */
const reportedMarks = new WeakMap();

export function listenForMarks(page) {
  const runs = new Map();
  reportedMarks.set(page, runs);
  page.on('console', (message) => {
    const text = message.text();
    if (!text.startsWith(MARKS_PREFIX)) return;
    const { run, marks } = JSON.parse(text.slice(MARKS_PREFIX.length));
    runs.set(run, marks);
  });
}

let lastRun = 0;

/** Tags the page's next document as a new run, so marks of the page it leaves are not taken for its own. */
export async function startRun(page) {
  const run = ++lastRun;
  await page.addInitScript(`window.BENCH_RUN = ${run};`);
  return run;
}

/** The run's marks once every one of `fields` is set (listenForMarks must have been called on the page). */
export async function waitMarks(page, fields, run, timeout = 120_000) {
  const runs = reportedMarks.get(page);
  const deadline = Date.now() + timeout;
  for (;;) {
    const marks = runs.get(run) ?? {};
    if (fields.every((name) => marks[name] !== undefined)) return marks;
    if (Date.now() > deadline) throw new Error(`${page.url()}: waited for ${fields.join(', ')}, saw ${JSON.stringify(marks)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
