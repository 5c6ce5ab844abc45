// `npm start`: builds the PWA, then serves it and a signaling server on localhost and prints
// both URLs. Ports: PORT (app, default 5173) and SIGNALING_PORT (default 4444).
//
// `npm start -- --production` (or `npm run start:production`): serves the dist/ of an earlier
// `npm run build` with every security header (scripts/serveDist.mjs), for a TLS proxy in front.
// HOST (default 127.0.0.1), PORT (default 8080), CONFIG (the config.json to serve, default
// dist/config.json), DIST (default dist/). Signaling runs as processes of its own there: `npm run signaling`.
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { preview } from 'vite';
import { startSignalingServer } from '../server/signaling.mjs';
import { startDistServer } from './serveDist.mjs';

const { values } = parseArgs({ options: { production: { type: 'boolean', default: false } } });
const host = process.env.HOST ?? '127.0.0.1';

if (values.production) await startProduction();
else await startDevelopment();

async function startProduction() {
  const dist = process.env.DIST || fileURLToPath(new URL('../dist', import.meta.url));
  const app = await startDistServer({
    dist,
    host,
    port: Number(process.env.PORT ?? 8080),
    configPath: process.env.CONFIG || undefined,
  });
  console.log(`Hearth (production) is serving ${dist} on ${app.url}\n  Content-Security-Policy: ${app.csp}`);
  const stop = () => app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function startDevelopment() {
  const appPort = Number(process.env.PORT ?? 5173);
  const signalingPort = Number(process.env.SIGNALING_PORT ?? 4444);

  const build = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['vite', 'build', '--logLevel', 'warn'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const signaling = await startSignalingServer({ host, port: signalingPort });
  // The app reads its signaling URL at run time, so the served config follows the port chosen here.
  const configPath = new URL('../dist/config.json', import.meta.url);
  const config = JSON.parse(readFileSync(configPath, 'utf8'));
  config.signaling = [signaling.url];
  writeFileSync(configPath, JSON.stringify(config, null, 2) + '\n');

  const app = await preview({ preview: { host, port: appPort, strictPort: true }, logLevel: 'warn' });
  const appUrl = app.resolvedUrls?.local[0] ?? `http://${host}:${appPort}/`;

  console.log(`\nHearth is running.\n  App:        ${appUrl}\n  Signaling:  ${signaling.url}\nPress Ctrl+C to stop.`);

  const stop = async () => {
    await Promise.allSettled([signaling.close(), app.close()]);
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
