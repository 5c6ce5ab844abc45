// Figure 7: how long unlocking takes in Chromium: argon2id at the parameters this device
// calibrates to (RFC 9106's 64 MiB / t=3 when it fits a second), in the Web Worker the app uses.
// Baseline, same run: the same unlock at OWASP's floor (19 MiB / t=2).
import { openBenchPage } from '../lib/browser.mjs';
import { median } from '../lib/stats.mjs';

const MiB = 1024 * 1024;
const ms = (value) => `${value.toFixed(0)} ms`;

export async function unlock(ctx) {
  const { args, pages, browsers, log } = ctx;
  const page = await openBenchPage(browsers.a, pages.url, log);
  let result;
  try {
    log('unlock: calibrating and unlocking in Chromium');
    result = await page.call('unlockRun', { runs: args.runs });
  } finally {
    await page.close();
  }
  const { params, calibrationMs, chosen, floor } = result;
  const wall = median(chosen.map((s) => s.wallMs));
  const hash = median(chosen.map((s) => s.hashMs));
  return [
    {
      id: 'unlock-chosen',
      figure: `Unlock, argon2id ${params.memlimit / MiB} MiB t=${params.opslimit} (Chromium)`,
      unit: 'ms',
      hearth: wall,
      baseline: median(floor.map((s) => s.wallMs)),
      goal: null,
      baselineName: `OWASP floor ${19} MiB t=2, same worker`,
      note: `calibrated to ${params.memlimit / MiB} MiB t=${params.opslimit} (calibration derivation ${ms(calibrationMs)}, budget 1000 ms); argon2id alone ${ms(hash)}, the rest is starting the worker and libsodium sumo`,
      samples: { chosen, floor },
    },
  ];
}
