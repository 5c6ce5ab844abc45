// Figure 5: seal/open throughput of Hearth envelopes against raw libsodium AEAD on the same
// bytes, in node and in Chromium.
import { openBenchPage } from '../lib/browser.mjs';
import { median } from '../lib/stats.mjs';

const GOAL = { op: '>=', value: 0.8 };
const PAYLOADS = [1024, 64 * 1024];

export async function crypto(ctx) {
  const { args, server, pages, browsers, log } = ctx;
  const options = { payloadSizes: PAYLOADS, runs: args.runs, minMs: args.cryptoMs };
  const { ready } = await server.load('/crypto/index.ts');
  await ready();
  const { runCryptoBench } = await server.load('/bench/shared/cryptoBench.ts');
  log('crypto: node');
  const node = runCryptoBench(options);
  log('crypto: chromium');
  const page = await openBenchPage(browsers.a, pages.url, log);
  let chromium;
  try {
    chromium = await page.call('runCryptoBench', options);
  } finally {
    await page.close();
  }
  const rows = [];
  for (const [env, samples] of [['node', node], ['Chromium', chromium]]) {
    for (const sample of samples) {
      const size = sample.payloadBytes >= 1024 ? `${sample.payloadBytes / 1024} KiB` : `${sample.payloadBytes} B`;
      const mbps = (perSec) => (median(perSec) * sample.payloadBytes) / 1e6;
      for (const [op, hearth, raw, floor] of [
        ['seal', sample.sealPerSec, sample.rawEncryptPerSec, sample.rawEncryptSignPerSec],
        ['open', sample.openPerSec, sample.rawDecryptPerSec, sample.rawVerifyDecryptPerSec],
      ]) {
        const h = mbps(hearth);
        const b = mbps(raw);
        const f = mbps(floor);
        rows.push({
          id: `crypto-${env.toLowerCase()}-${op}-${sample.payloadBytes}`,
          figure: `Crypto ${op} ${size} (${env})`,
          unit: 'MB/s',
          hearth: h,
          baseline: b,
          goal: GOAL,
          baselineName: `raw ${op === 'seal' ? 'encrypt' : 'decrypt'}`,
          note: `${(median(hearth) / 1000).toFixed(1)}k ops/s; raw AEAD ${op === 'seal' ? '+ Ed25519 sign' : '+ Ed25519 verify'} alone: ${f.toFixed(0)} MB/s (Hearth = ${((h / f) * 100).toFixed(0)}% of it)`,
          samples: { hearth, raw, floor },
        });
      }
    }
  }
  return rows;
}
