// The bench board, written once per run in node through GroupLog.write and shared by join,
// open offline and bytes at rest: a chain as the log left it (its own checkpoints every 300
// links), and one written with checkpoints off (one envelope per post).
import { toBase64Url } from '../lib/encoding.mjs';

const cache = new Map();

export async function benchChains(ctx) {
  const { args, server, log } = ctx;
  if (cache.has(args.posts)) return cache.get(args.posts);
  const { ready } = await server.load('/crypto/index.ts');
  await ready();
  const fixtures = await server.load('/bench/shared/fixtures.ts');
  const checkpointed = await fixtures.writeChain(args.posts, { keyring: fixtures.benchKeyring(1) });
  log(`fixture: ${args.posts} posts through GroupLog.write in ${(checkpointed.writeMs / 1000).toFixed(1)} s, ${checkpointed.links.length} links kept`);
  const written = await fixtures.writeChain(args.posts, { keyring: fixtures.benchKeyring(2), checkpointAfter: Infinity });
  log(`fixture: the same without checkpoints in ${(written.writeMs / 1000).toFixed(1)} s, ${written.links.length} links`);
  const chains = {
    checkpointed,
    written,
    groupId: fixtures.BENCH_GROUP,
    /** What pages are handed (see bench/pages/join.ts and offline.ts). */
    packed: { checkpointed: fixtures.packLinks(checkpointed.links), written: fixtures.packLinks(written.links) },
    plainUpdate: toBase64Url(checkpointed.plainUpdate),
  };
  cache.set(args.posts, chains);
  return chains;
}
