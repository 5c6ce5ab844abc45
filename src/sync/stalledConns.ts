/**
 * y-webrtc keeps a connection attempt to a peer until the attempt closes, and acts on that
 * peer's announce only while it holds no attempt to it. When two pages announce at once (both
 * reload, or both enter the room after an admission), their offers cross; y-webrtc's glare
 * token (y-webrtc#39) settles most crossings, but an offer that arrives before the page's own
 * offer is made can leave one side waiting for an answer that never comes. Nothing then closes
 * that attempt, so the two never meet until a signaling connection drops. The watchdog
 * destroys an attempt that has not connected within a bound: y-webrtc removes it and announces
 * again, and the pair starts over.
 */

/** What the watchdog needs of y-webrtc's WebrtcConn. */
export interface WatchedConn {
  connected: boolean;
  closed: boolean;
  peer: { destroy(): void };
}

/** What the watchdog needs of y-webrtc's Room. */
export interface WatchedRoom {
  webrtcConns: Map<string, WatchedConn>;
}

/**
 * ICE over a TURN relay can take some seconds on a poor network; an attempt still unconnected
 * after this (plus up to half again, so two stalled sides do not announce in the same instant)
 * is taken as stuck.
 */
export const STALL_MS = 20_000;

export interface StallWatchOptions {
  stallMs?: number;
  random?: () => number;
}

/** Checks `room()`'s attempts every quarter of the bound; returns what stops the watchdog. */
export function watchStalledConns(room: () => WatchedRoom | null, { stallMs = STALL_MS, random = Math.random }: StallWatchOptions = {}): () => void {
  const deadlines = new WeakMap<WatchedConn, number>();
  let elapsed = 0;
  const tick = stallMs / 4;
  const timer = setInterval(() => {
    elapsed += tick;
    for (const conn of room()?.webrtcConns.values() ?? []) {
      if (conn.connected || conn.closed) continue;
      const deadline = deadlines.get(conn);
      if (deadline === undefined) deadlines.set(conn, elapsed + stallMs * (1 + random() / 2));
      else if (elapsed >= deadline) {
        deadlines.set(conn, Infinity); // once: y-webrtc drops it on close
        conn.peer.destroy();
      }
    }
  }, tick);
  return () => clearInterval(timer);
}
