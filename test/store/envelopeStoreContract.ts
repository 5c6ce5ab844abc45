import type { EnvelopeStorePort, StoredEnvelope } from '../../src/log/ports.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';

/**
 * The behaviour every EnvelopeStorePort must have, as one suite taking a factory (the
 * automerge-repo pattern): the in-memory fake runs it in node, the IndexedDB store in Chromium.
 */
export interface EnvelopeStoreHarness {
  /** The store of a group on the shared disk; after `crash`, a new instance. */
  open(groupId: string): EnvelopeStorePort;
  /** "author/seq:text" of every link of the group on disk now, read past the store instance. */
  onDisk(groupId: string): Promise<string[]>;
  /**
   * Ends every open store as a killed process would (what is only queued is never written),
   * then starts over on the same disk: `open` gives fresh instances.
   */
  crash(): Promise<void>;
  /** Makes every write fail as a full disk does, until the returned function is called. */
  fillDisk(): () => void;
  dispose(): Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A link whose envelope bytes read "author/seq:text", so a test can tell links apart on disk. */
export function link(authorId: string, seq: number, text = 'v1'): StoredEnvelope {
  return { authorId, seq, envelope: encoder.encode(`${authorId}/${seq}:${text}`) };
}

/** "author/seq:text" for each link, the form onDisk uses. */
export function describeLinks(links: StoredEnvelope[]): string[] {
  return links.map((stored) => decoder.decode(stored.envelope));
}

function ok<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`unexpected ${result.error.code}: ${result.error.message}`);
  return result.value;
}

async function eventually(check: () => Promise<boolean>, withinMs: number, what: string): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await sleep(25);
  }
}

export function envelopeStoreContract(name: string, makeHarness: () => Promise<EnvelopeStoreHarness>): void {
  describe(`EnvelopeStorePort contract: ${name}`, () => {
    let harness: EnvelopeStoreHarness;
    let restoreDisk: (() => void) | undefined;
    const fillDisk = (): (() => void) => {
      const restore = harness.fillDisk();
      restoreDisk = restore;
      return restore;
    };
    beforeEach(async () => {
      harness = await makeHarness();
    });
    afterEach(async () => {
      restoreDisk?.();
      restoreDisk = undefined;
      await harness.dispose();
    });

    it('loads nothing for a group with no envelopes', async () => {
      assertDeepEqual(ok(await harness.open('g1').load()), []);
      assertDeepEqual(ok(await harness.open('g1').loadAfter('alice', 0)), []);
    });

    it('loads every envelope by author, then seq, whatever order they were written in', async () => {
      const store = harness.open('g1');
      ok(await store.commit([link('bob', 2), link('alice', 3), link('alice', 1)]));
      store.queue([link('bob', 1), link('alice', 2)]);
      ok(await store.flush());
      await harness.crash();
      const expected = ['alice/1:v1', 'alice/2:v1', 'alice/3:v1', 'bob/1:v1', 'bob/2:v1'];
      assertDeepEqual(describeLinks(ok(await harness.open('g1').load())), expected);
      assertDeepEqual(await harness.onDisk('g1'), expected);
    });

    it("keeps each group's envelopes apart", async () => {
      ok(await harness.open('g1').commit([link('alice', 1, 'first group')]));
      ok(await harness.open('g2').commit([link('alice', 1, 'second group')]));
      assertDeepEqual(describeLinks(ok(await harness.open('g1').load())), ['alice/1:first group']);
      assertDeepEqual(describeLinks(ok(await harness.open('g2').load())), ['alice/1:second group']);
    });

    it('settles commit only once its envelopes and everything queued before them are on disk', async () => {
      const store = harness.open('g1');
      store.queue([link('bob', 1)]);
      ok(await store.commit([link('alice', 1)]));
      assertDeepEqual(await harness.onDisk('g1'), ['alice/1:v1', 'bob/1:v1']);
      await harness.crash();
      assertDeepEqual(describeLinks(ok(await harness.open('g1').load())), ['alice/1:v1', 'bob/1:v1']);
    });

    it('writes queued envelopes through while more keep arriving, with no flush', async () => {
      const store = harness.open('g1');
      let seq = 1;
      store.queue([link('bob', seq)]);
      // A peer posting every 40 ms: a debounce that each change postpones would never write.
      const stream = setInterval(() => store.queue([link('bob', ++seq)]), 40);
      try {
        await eventually(async () => (await harness.onDisk('g1')).includes('bob/1:v1'), 1_500, 'the first envelope reaches the disk');
      } finally {
        clearInterval(stream);
      }
      ok(await store.flush());
      assertEqual((await harness.onDisk('g1')).length, seq);
    });

    it("supersede removes an author's links below seq and nothing else", async () => {
      const store = harness.open('g1');
      ok(await store.commit([1, 2, 3, 4, 5].map((seq) => link('alice', seq)).concat([link('bob', 1), link('bob', 2)])));
      store.supersede('alice', 4);
      ok(await store.flush());
      const expected = ['alice/4:v1', 'alice/5:v1', 'bob/1:v1', 'bob/2:v1'];
      assertDeepEqual(describeLinks(ok(await store.load())), expected);
      assertDeepEqual(await harness.onDisk('g1'), expected);
    });

    it("truncateAfter removes an author's links above seq and nothing else", async () => {
      const store = harness.open('g1');
      ok(await store.commit([1, 2, 3, 4].map((seq) => link('alice', seq)).concat([link('bob', 3)])));
      store.truncateAfter('alice', 2);
      ok(await store.flush());
      const expected = ['alice/1:v1', 'alice/2:v1', 'bob/3:v1'];
      assertDeepEqual(describeLinks(ok(await store.load())), expected);
      assertDeepEqual(await harness.onDisk('g1'), expected);
    });

    it('applies puts and removals in the order they were queued', async () => {
      const store = harness.open('g1');
      ok(await store.commit([1, 2, 3].map((seq) => link('alice', seq, 'losing branch'))));
      store.truncateAfter('alice', 1);
      store.queue([link('alice', 2, 'winning branch'), link('alice', 3, 'winning branch')]);
      store.queue([link('bob', 9)]);
      store.truncateAfter('bob', 5);
      store.queue([link('carol', 1)]);
      store.supersede('carol', 2);
      store.queue([link('carol', 2)]);
      ok(await store.flush());
      const expected = ['alice/1:losing branch', 'alice/2:winning branch', 'alice/3:winning branch', 'carol/2:v1'];
      assertDeepEqual(await harness.onDisk('g1'), expected);
      await harness.crash();
      assertDeepEqual(describeLinks(ok(await harness.open('g1').load())), expected);
    });

    it("loadAfter gives one author's links above seq, ascending", async () => {
      const store = harness.open('g1');
      ok(await store.commit([4, 1, 3, 2].map((seq) => link('alice', seq)).concat([link('alicia', 1), link('bob', 1)])));
      assertDeepEqual(describeLinks(ok(await store.loadAfter('alice', 2))), ['alice/3:v1', 'alice/4:v1']);
      assertDeepEqual(describeLinks(ok(await store.loadAfter('bob', 0))), ['bob/1:v1']);
      assertDeepEqual(ok(await store.loadAfter('alice', 4)), []);
      assertDeepEqual(ok(await store.loadAfter('carol', 0)), []);
    });

    it('shows what is queued to load and loadAfter before it is written', async () => {
      const store = harness.open('g1');
      ok(await store.commit([link('alice', 1), link('alice', 2)]));
      fillDisk();
      store.queue([link('alice', 3), link('bob', 1)]);
      store.supersede('alice', 2);
      assertDeepEqual(describeLinks(ok(await store.load())), ['alice/2:v1', 'alice/3:v1', 'bob/1:v1']);
      assertDeepEqual(describeLinks(ok(await store.loadAfter('alice', 0))), ['alice/2:v1', 'alice/3:v1']);
      assertDeepEqual(await harness.onDisk('g1'), ['alice/1:v1', 'alice/2:v1'], 'none of it is on disk yet');
    });

    it('keeps a failed write queued, reports quota-exceeded once per streak, and retries on the next operation', async () => {
      const store = harness.open('g1');
      const errors: { code: string; message: string }[] = [];
      store.on('error', (error) => errors.push(error));
      ok(await store.commit([link('alice', 1)]));

      const freeSpace = fillDisk();
      const committed = await store.commit([link('alice', 2)]);
      assert(!committed.ok, 'commit says its envelopes are not on disk');
      assertEqual(committed.error.code, 'quota-exceeded');
      assert(/space/.test(committed.error.message), `a plain message: ${committed.error.message}`);
      store.queue([link('bob', 1)]);
      const flushed = await store.flush();
      assert(!flushed.ok && flushed.error.code === 'quota-exceeded', 'flush fails too');
      assertDeepEqual(errors.map((error) => error.code), ['quota-exceeded'], 'one report for the streak');
      assertDeepEqual(await harness.onDisk('g1'), ['alice/1:v1'], 'what was saved before is untouched');

      freeSpace();
      store.queue([link('bob', 2)]);
      await eventually(async () => (await harness.onDisk('g1')).length === 4, 2_000, 'the next operation writes the whole queue');
      assertDeepEqual(await harness.onDisk('g1'), ['alice/1:v1', 'alice/2:v1', 'bob/1:v1', 'bob/2:v1']);

      fillDisk();
      store.queue([link('bob', 3)]);
      assert(!(await store.flush()).ok, 'the disk is full again');
      assertDeepEqual(errors.map((error) => error.code), ['quota-exceeded', 'quota-exceeded'], 'a new streak is reported again');
    });

    it('retries a failed write on its own once space is back', async () => {
      const store = harness.open('g1');
      const freeSpace = fillDisk();
      store.queue([link('alice', 1)]);
      assert(!(await store.flush()).ok, 'the write fails');
      freeSpace();
      await eventually(async () => (await harness.onDisk('g1')).length === 1, 5_000, 'the retry timer writes it');
    });

    it('writes what is queued on close, and drops it on close with discard', async () => {
      const kept = harness.open('g1');
      kept.queue([link('alice', 1)]);
      await kept.close();
      assertDeepEqual(await harness.onDisk('g1'), ['alice/1:v1']);
      const closed = await kept.commit([link('alice', 2)]);
      assert(!closed.ok, 'a closed store writes nothing more');

      const dropped = harness.open('g2');
      const freeSpace = fillDisk();
      dropped.queue([link('alice', 1)]);
      await dropped.close({ discard: true });
      freeSpace();
      await sleep(600); // past the first retry
      assertDeepEqual(await harness.onDisk('g2'), []);
    });
  });
}
