// Figure 4: bytes at rest after compaction, Hearth's stored log against the plain board's
// Y.encodeStateAsUpdate. Runs in node.
const GOAL = { op: '<=', value: 1.2 };

export async function bytesAtRest(ctx) {
  const { args, server } = ctx;
  const { ready } = await server.load('/crypto/index.ts');
  await ready();
  const { measureBytesAtRest } = await server.load('/bench/shared/bytesAtRest.ts');
  const sizes = measureBytesAtRest(args.posts);
  const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
  return [
    {
      id: 'bytes-compacted',
      figure: `Bytes at rest, ${args.posts} posts, compacted`,
      unit: 'bytes',
      hearth: sizes.storedCompactedBytes,
      baseline: sizes.plainBytes,
      display: { hearth: kib(sizes.storedCompactedBytes), baseline: kib(sizes.plainBytes) },
      goal: GOAL,
      baselineName: 'Y.encodeStateAsUpdate(plain board)',
      note: `the store's sealed record of the compacted log (log update ${kib(sizes.compactedLogBytes)}, ${sizes.envelopesAfter} envelope)`,
      sizes,
    },
    {
      id: 'bytes-written',
      figure: `Bytes at rest, ${args.posts} posts, as written`,
      unit: 'bytes',
      hearth: sizes.storedLogBytes,
      baseline: sizes.plainBytes,
      display: { hearth: kib(sizes.storedLogBytes), baseline: kib(sizes.plainBytes) },
      goal: null,
      baselineName: 'Y.encodeStateAsUpdate(plain board)',
      note: `before compaction: ${sizes.envelopesBefore} envelopes, ~${Math.round((sizes.logBytes - sizes.plainBytes) / sizes.envelopesBefore)} bytes each beyond the update`,
    },
  ];
}
