// Plain HTTP beside the WebSocket: /healthz for load balancers and /metrics (Prometheus text
// format) for the operator, counts only. /metrics is served on the public port only to a bearer
// token, or on a separate port meant to stay on loopback.
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * @typedef {object} HttpAnswers
 * @property {() => boolean} health whether this process can serve (its Redis bridge, if any, is up)
 * @property {() => string} metrics the metrics text
 * @property {string} [metricsToken] bearer token that unlocks /metrics
 * @property {boolean} [metricsOpen] /metrics without a token (the separate metrics port)
 */

/**
 * @param {import('node:http').IncomingMessage} request
 * @param {import('node:http').ServerResponse} response
 * @param {HttpAnswers} answers
 */
export function answerHttp(request, response, { health, metrics, metricsToken, metricsOpen = false }) {
  const path = (request.url ?? '').split('?')[0];
  if (request.method !== 'GET' && request.method !== 'HEAD') return reply(response, 405, 'method not allowed\n');
  if (path === '/healthz') return health() ? reply(response, 200, 'ok\n') : reply(response, 503, 'redis down\n');
  if (path === '/metrics' && (metricsOpen || hasToken(request, metricsToken))) {
    return reply(response, 200, metrics(), 'text/plain; version=0.0.4; charset=utf-8');
  }
  // Without the token, /metrics is as absent as any other path.
  return reply(response, 404, 'not found\n');
}

/**
 * @param {import('node:http').ServerResponse} response
 * @param {number} status
 * @param {string} body
 */
function reply(response, status, body, type = 'text/plain; charset=utf-8') {
  response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  response.end(body);
}

/**
 * Compares digests so the comparison takes the same time whatever the guess.
 * @param {import('node:http').IncomingMessage} request
 * @param {string | undefined} token
 */
function hasToken(request, token) {
  if (!token) return false;
  const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
  const digest = (/** @type {string} */ text) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/** @type {[key: string, type: 'gauge' | 'counter', help: string][]} */
const METRICS = [
  ['connections', 'gauge', 'WebSocket connections currently admitted.'],
  ['topics', 'gauge', 'Topics with at least one local subscriber.'],
  ['relayed', 'counter', 'Frames sent to subscribers.'],
  ['dropped', 'counter', 'Frames not sent to a receiver whose queue was full.'],
  ['refused', 'counter', 'Incoming frames refused (malformed, bad topic, not subscribed, over a rate).'],
  ['refusedConnections', 'counter', 'Connections refused by the connection caps.'],
  ['memory', 'gauge', 'Heap in use, in bytes.'],
];

/**
 * @param {import('./signaling.mjs').SignalingStats} stats
 * @returns {string}
 */
export function formatMetrics(stats) {
  const lines = [];
  for (const [key, type, help] of METRICS) {
    const name = `hearth_signaling_${key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}${type === 'counter' ? '_total' : ''}`;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${stats[/** @type {keyof typeof stats} */ (key)]}`);
  }
  lines.push(
    '# HELP hearth_signaling_redis_up Whether the Redis bridge is up (1), down (0) or not configured (-1).',
    '# TYPE hearth_signaling_redis_up gauge',
    `hearth_signaling_redis_up ${{ off: -1, down: 0, ready: 1 }[stats.redis]}`,
  );
  return lines.join('\n') + '\n';
}
