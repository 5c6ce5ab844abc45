// Figure 4: bytes at rest. What the envelopes store holds for the group (each link sealed under
// the storage key) against Y.encodeStateAsUpdate of the plain board with the same posts. Node.
import { benchChains } from './fixture.mjs';

const GOAL = { op: '<=', value: 1.3 };
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function bytesAtRest(ctx) {
  const { args, server } = ctx;
  const chains = await benchChains(ctx);
  const { measureBytesAtRest } = await server.load('/bench/shared/bytesAtRest.ts');
  const sizes = measureBytesAtRest(chains, chains.groupId);
  const row = (id, label, stored, goal, note) => ({
    id,
    figure: `Bytes at rest, ${args.posts} posts, ${label}`,
    unit: 'bytes',
    hearth: stored.storedBytes,
    baseline: sizes.plainBytes,
    display: { hearth: kib(stored.storedBytes), baseline: kib(sizes.plainBytes) },
    goal,
    baselineName: 'Y.encodeStateAsUpdate(plain board)',
    note,
    sizes: stored,
  });
  const { checkpointed, written } = sizes;
  return [
    row(
      'bytes-checkpointed',
      'chain with checkpoints',
      checkpointed,
      GOAL,
      `the envelopes store's sealed records: ${checkpointed.links} links (the writer's latest checkpoint and the updates after it), envelopes ${kib(checkpointed.envelopeBytes)}`,
    ),
    row(
      'bytes-written',
      'chain without checkpoints',
      written,
      null,
      `reference: ${written.links} links, one per post, ~${Math.round((written.storedBytes - sizes.plainBytes) / written.links)} bytes each beyond the plain board`,
    ),
  ];
}
