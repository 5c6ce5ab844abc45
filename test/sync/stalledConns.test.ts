import { watchStalledConns, type WatchedConn, type WatchedRoom } from '../../src/sync/stalledConns.js';

function attempt(): WatchedConn & { destroyed: number } {
  const conn = {
    connected: false,
    closed: false,
    destroyed: 0,
    peer: { destroy: () => void conn.destroyed++ },
  };
  return conn;
}

describe('the stalled-connection watchdog', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('destroys an attempt that has not connected within the bound, so y-webrtc announces again', () => {
    const stuck = attempt();
    const room: WatchedRoom = { webrtcConns: new Map([['peer-a', stuck]]) };
    const stop = watchStalledConns(() => room, { stallMs: 1_000, random: () => 0 });
    vi.advanceTimersByTime(1_000);
    expect(stuck.destroyed).toBe(0);
    vi.advanceTimersByTime(500);
    expect(stuck.destroyed).toBe(1);
    stop();
  });

  it('leaves connected attempts alone, however old', () => {
    const live = attempt();
    live.connected = true;
    const room: WatchedRoom = { webrtcConns: new Map([['peer-a', live]]) };
    const stop = watchStalledConns(() => room, { stallMs: 1_000, random: () => 0 });
    vi.advanceTimersByTime(10_000);
    expect(live.destroyed).toBe(0);
    stop();
  });

  it('gives an attempt that connects in time nothing to do', () => {
    const slow = attempt();
    const room: WatchedRoom = { webrtcConns: new Map([['peer-a', slow]]) };
    const stop = watchStalledConns(() => room, { stallMs: 1_000, random: () => 0 });
    vi.advanceTimersByTime(750);
    slow.connected = true;
    vi.advanceTimersByTime(5_000);
    expect(slow.destroyed).toBe(0);
    stop();
  });

  it('spreads two sides\' deadlines by up to half the bound, so they do not announce at the same instant', () => {
    const early = attempt();
    const late = attempt();
    const stopEarly = watchStalledConns(() => ({ webrtcConns: new Map([['b', early]]) }), { stallMs: 1_000, random: () => 0 });
    const stopLate = watchStalledConns(() => ({ webrtcConns: new Map([['a', late]]) }), { stallMs: 1_000, random: () => 0.99 });
    vi.advanceTimersByTime(1_500);
    expect([early.destroyed, late.destroyed]).toEqual([1, 0]);
    vi.advanceTimersByTime(500);
    expect(late.destroyed).toBe(1);
    stopEarly();
    stopLate();
  });

  it('stops looking once stopped', () => {
    const stuck = attempt();
    const stop = watchStalledConns(() => ({ webrtcConns: new Map([['a', stuck]]) }), { stallMs: 1_000, random: () => 0 });
    stop();
    vi.advanceTimersByTime(10_000);
    expect(stuck.destroyed).toBe(0);
  });
});
