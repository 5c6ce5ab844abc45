import { expect, it } from 'vitest';
import { EnvelopeCounter } from '../../src/log/counter.js';
import type { SessionOptions, SessionPort } from '../../src/app/ports.js';
import { GROUP_ID, identityFromSeed, keyring } from '../fixtures/group.js';
import { FakeLog } from './fakeLog.js';

/** Makes sessions of one group that can reach each other once connected. */
export type SessionFactory = (options: SessionOptions) => SessionPort;

function options(seed: number): SessionOptions & { log: FakeLog } {
  return {
    log: new FakeLog(GROUP_ID),
    keyring: keyring(),
    identity: identityFromSeed(seed),
    displayName: `member ${seed}`,
    counter: new EnvelopeCounter(),
  };
}

/**
 * What every SessionPort promises the app (automerge-repo's adapter-test pattern): the real
 * GroupSession and the app's FakeSession both run it. Call inside a describe(); `ready()` first.
 */
export function sessionContract(make: () => SessionFactory): void {
  it('starts offline, with no one present, until connected', () => {
    const session = make()(options(1));
    expect(session.status.state).toBe('offline');
    expect(session.status.peers).toBe(0);
    expect(session.presence).toEqual([]);
    session.destroy();
  });

  it('exchanges envelopes with another session of the group once both are connected, both ways', async () => {
    const factory = make();
    const [a, b] = [options(1), options(2)];
    a.log.write(a.identity, a.keyring, 'written before connecting');
    const [sa, sb] = [factory(a), factory(b)];
    sa.connect();
    sb.connect();
    await expect.poll(() => b.log.seqs(a.identity), { timeout: 2000 }).toBe(1);
    b.log.write(b.identity, b.keyring, 'written after connecting');
    await expect.poll(() => a.log.seqs(b.identity), { timeout: 2000 }).toBe(1);
    sa.destroy();
    sb.destroy();
  });

  it('sends nothing after destroy, and ignores connect and a new name then', async () => {
    const factory = make();
    const [a, b] = [options(1), options(2)];
    const [sa, sb] = [factory(a), factory(b)];
    sa.connect();
    sb.connect();
    await new Promise((resolve) => setTimeout(resolve, 50));
    sa.destroy();
    sa.connect();
    sa.setDisplayName('another name');
    a.log.write(a.identity, a.keyring, 'never sent');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(b.log.seqs(a.identity)).toBe(0);
    sb.destroy();
  });
}
