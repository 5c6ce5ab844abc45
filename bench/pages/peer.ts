import { ready } from '../../crypto/index.js';
import { runCryptoBench } from '../shared/cryptoBench.js';
import { joinHostStart, joinRun } from './join.js';
import { meetingConnected, meetingJoin, meetingLeave, meetingRun } from './meeting.js';
import { offlineOpen, offlinePrepare } from './offline.js';
import { propagationConnected, propagationRun, propagationStart } from './propagation.js';
import { unlockRun } from './unlock.js';

/**
 * One bench page: bench/run.mjs opens it in Chromium and calls `window.hearthBench.*` through
 * playwright. libsodium is loaded before any measurement starts (see bench/README.md).
 */
const api = {
  propagationStart,
  propagationConnected,
  propagationRun,
  joinHostStart,
  joinRun,
  offlinePrepare,
  offlineOpen,
  meetingJoin,
  meetingConnected,
  meetingRun,
  meetingLeave,
  runCryptoBench,
  unlockRun,
  /** libsodium's start-up in this (fresh) page, reported for reference. */
  sodiumReadyMs: 0,
};

declare global {
  interface Window {
    hearthBench: typeof api;
    hearthBenchReady: Promise<void>;
  }
}

window.hearthBench = api;
const start = performance.now();
window.hearthBenchReady = ready().then(() => {
  api.sodiumReadyMs = performance.now() - start;
});
