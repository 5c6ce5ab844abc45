// `npm start`: builds the PWA, then serves it and a signaling server on localhost and prints
// both URLs. Ports: PORT (app, default 5173) and SIGNALING_PORT (default 4444).
import { spawnSync } from 'node:child_process';
import { writeFileSync, readFileSync } from 'node:fs';
import { preview } from 'vite';
import { startSignalingServer } from '../server/signaling.mjs';

const host = process.env.HOST ?? '127.0.0.1';
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
