// Command-line parameters of `npm run bench`; sizes are parameters so the smoke test can run tiny.
import { parseArgs } from 'node:util';

export const FIGURES = ['propagation', 'join', 'offline', 'bytes', 'meeting', 'crypto', 'bundle', 'signaling', 'unlock', 'lock-bundle', 'phone', 'phone-join'];

export const USAGE = `Usage: npm run bench -- [options]
  --posts N          board size for join, open offline and bytes at rest (default 10000)
  --runs N           measured runs per variant (default 3)
  --warmup N         unmeasured runs first, per variant (default 1)
  --samples N        propagation round trips per variant (default 100)
  --crypto-ms N      how long each crypto measurement loops (default 200)
  --stock-timeout N  ms to wait for stock y-webrtc to deliver the board (default 15000)
  --meeting-members LIST  members per meeting, comma-separated (default 8,12)
  --meeting-posts N  posts written during a meeting (default 100)
  --meeting-runs N   measured runs per variant and meeting size (default 3, no warm-up)
  --signaling-clients N  simulated signaling clients (default 1000)
  --signaling-rooms N    rooms they are spread over (default 200)
  --phone-parts LIST which phone-class rows: first-visit,boards,share (default all)
  --only LIST        comma-separated figures: ${FIGURES.join(',')}
  --out DIR          where results.json and results.md go (default bench/)
  --quiet            no progress lines`;

export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      posts: { type: 'string', default: '10000' },
      runs: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      samples: { type: 'string', default: '100' },
      'crypto-ms': { type: 'string', default: '200' },
      'stock-timeout': { type: 'string', default: '15000' },
      'meeting-members': { type: 'string', default: '8,12' },
      'meeting-posts': { type: 'string', default: '100' },
      'meeting-runs': { type: 'string', default: '3' },
      'signaling-clients': { type: 'string', default: '1000' },
      'signaling-rooms': { type: 'string', default: '200' },
      'phone-parts': { type: 'string', default: 'first-visit,boards,share' },
      only: { type: 'string', default: FIGURES.join(',') },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const int = (name, min) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${values[name]}`);
    return value;
  };
  const only = values.only.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = only.filter((name) => !FIGURES.includes(name));
  if (unknown.length > 0) throw new Error(`--only: unknown figure ${unknown.join(', ')} (known: ${FIGURES.join(', ')})`);
  const meetingMembers = values['meeting-members'].split(',').map((entry) => Number(entry.trim()));
  if (meetingMembers.length === 0 || meetingMembers.some((n) => !Number.isInteger(n) || n < 2)) {
    throw new Error(`--meeting-members must list integers ≥ 2, got ${values['meeting-members']}`);
  }
  return {
    help: values.help,
    posts: int('posts', 1),
    runs: int('runs', 1),
    warmup: int('warmup', 0),
    samples: int('samples', 1),
    cryptoMs: int('crypto-ms', 1),
    stockTimeoutMs: int('stock-timeout', 100),
    meetingMembers,
    meetingPosts: int('meeting-posts', 1),
    meetingRuns: int('meeting-runs', 1),
    signalingClients: int('signaling-clients', 2),
    signalingRooms: int('signaling-rooms', 1),
    only,
    phoneParts: values['phone-parts'].split(',').map((part) => part.trim()),
    out: values.out,
    quiet: values.quiet,
  };
}
