import type { RendezvousPort } from '../../src/sync/rendezvous.js';

/** A rendezvous port the test drives: what this side said (`said`), and what the others say (`tell`). */
export interface RecordingPort {
  said: Record<string, unknown>[];
  heard: unknown[];
  destroyed: boolean;
  port: RendezvousPort;
  tell(states: unknown[]): void;
}

export function recordingPort(): RecordingPort {
  let listener: ((states: unknown[]) => void) | undefined;
  const r: RecordingPort = {
    said: [],
    heard: [],
    destroyed: false,
    port: {
      publish: (state) => void r.said.push(state),
      states: () => r.heard,
      on: (_event, l) => void (listener = l),
      destroy: () => void (r.destroyed = true),
    },
    tell(states) {
      r.heard = states;
      listener?.(states);
    },
  };
  return r;
}
