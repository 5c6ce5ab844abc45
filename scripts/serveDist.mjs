// Production mode of `npm start`: serves the built app (dist/) behind a TLS proxy, owning every
// security header (docs/PROTOCOL.md §9.5). The Content-Security-Policy starts from the one in
// dist/index.html (so the app's own needs are written once, in index.html), with connect-src
// set to the app's origin plus the signaling servers of the served config.json, sent as an HTTP
// header (which, unlike the meta tag, carries frame-ancestors) and rewritten into the meta tag
// so the two never disagree. Hashed assets are cached for a year; index.html, the service
// worker and config.json are revalidated on every load so an update is seen at once.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The camera (QR codes at a venue) for the app itself; every other powerful feature off. */
export const PERMISSIONS_POLICY =
  'camera=(self), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), ' +
  'hid=(), midi=(), display-capture=(), browsing-topics=(), interest-cohort=()';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const META_CSP = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i;

/**
 * The header policy: index.html's, with connect-src = 'self' + the signaling origins, and
 * frame-ancestors 'none' (a meta tag cannot carry it).
 * @param {string} metaPolicy
 * @param {string[]} signalingUrls
 */
export function productionCsp(metaPolicy, signalingUrls) {
  const origins = [...new Set(signalingUrls.map((url) => new URL(url).origin))];
  const directives = metaPolicy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^(connect-src|frame-ancestors)\b/.test(directive));
  directives.push(`connect-src 'self' ${origins.join(' ')}`.trim(), "frame-ancestors 'none'");
  return directives.join('; ');
}

/**
 * Signaling URLs of a config.json (format version 1): only ws: and wss: URLs count.
 * @param {string} text
 * @returns {string[]}
 */
export function signalingUrlsOf(text) {
  const config = JSON.parse(text);
  const urls = Array.isArray(config?.signaling) ? config.signaling : [];
  return urls.filter((/** @type {unknown} */ url) => typeof url === 'string' && /^wss?:\/\/[^\s"';]+$/.test(url) && URL.canParse(url));
}

/** @param {string} path */
function cacheControl(path) {
  return path.startsWith('/assets/') ? IMMUTABLE : REVALIDATE;
}

/**
 * @param {object} options
 * @param {string} options.dist the built app
 * @param {string} [options.configPath] served as /config.json; default dist/config.json
 * @param {string} [options.host] loopback by default: the TLS proxy sits in front
 * @param {number} [options.port] 0 picks a free port
 */
export async function startDistServer({ dist, configPath = join(dist, 'config.json'), host = '127.0.0.1', port = 8080 }) {
  const root = resolve(dist);
  const config = readFileSync(configPath, 'utf8');
  const indexSource = readFileSync(join(root, 'index.html'), 'utf8');
  const meta = META_CSP.exec(indexSource);
  if (!meta) throw new Error(`${join(root, 'index.html')} has no Content-Security-Policy meta tag to start from`);
  const csp = productionCsp(meta[2], signalingUrlsOf(config));
  const metaCsp = csp.replace(/;\s*frame-ancestors 'none'/, '');
  const index = indexSource.replace(META_CSP, `$1${metaCsp}$3`);

  const securityHeaders = {
    'Content-Security-Policy': csp,
    'Permissions-Policy': PERMISSIONS_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
  };

  /** @param {http.IncomingMessage} request @param {http.ServerResponse} response */
  function answer(request, response) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD', 'Content-Type': 'text/plain' });
      return response.end('method not allowed\n');
    }
    const path = requestPath(request.url ?? '/');
    /**
     * @param {number} status
     * @param {string} type
     * @param {string} cache
     * @param {string | undefined} body the whole body, or undefined to stream `file`
     * @param {string} [file]
     */
    const send = (status, type, cache, body, file) => {
      const length = body !== undefined ? Buffer.byteLength(body) : statSync(/** @type {string} */ (file)).size;
      response.writeHead(status, { ...securityHeaders, 'Content-Type': type, 'Cache-Control': cache, 'Content-Length': length });
      if (request.method === 'HEAD') return response.end();
      if (body !== undefined) return response.end(body);
      createReadStream(/** @type {string} */ (file)).pipe(response);
    };
    if (path === undefined) return send(400, 'text/plain', REVALIDATE, 'bad path\n');
    if (path === '/config.json') return send(200, MIME_TYPES['.json'], REVALIDATE, config);
    const file = join(root, path);
    const isFile = file.startsWith(root + sep) && existsSync(file) && statSync(file).isFile();
    if (path === '/' || path === '/index.html' || (!isFile && extname(path) === '')) {
      // Routes without a file are the app's own: index.html, as the service worker's fallback does.
      return send(200, MIME_TYPES['.html'], REVALIDATE, index);
    }
    if (!isFile) return send(404, 'text/plain', REVALIDATE, 'not found\n');
    send(200, MIME_TYPES[/** @type {keyof typeof MIME_TYPES} */ (extname(file))] ?? 'application/octet-stream', cacheControl(path), undefined, file);
  }

  const server = http.createServer(answer);
  await new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolvePromise(undefined));
  });
  const bound = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    csp,
    /** @returns {Promise<void>} */
    close: () =>
      new Promise((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}

/**
 * The decoded path of a request URL, or undefined for one that tries to leave dist/.
 * @param {string} url
 */
function requestPath(url) {
  try {
    const path = decodeURIComponent(new URL(url, 'http://x').pathname);
    if (path.includes('\0')) return undefined;
    const normalized = normalize(path).replaceAll('\\', '/');
    return normalized.startsWith('/') && !normalized.includes('/../') ? normalized : undefined;
  } catch {
    return undefined;
  }
}
