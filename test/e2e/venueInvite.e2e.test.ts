import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from './harness.js';
import { launchVenueDevice, show, until, type Device } from './venueHelpers.js';

/**
 * A newcomer invited and admitted at a meeting without internet (PROTOCOL §12.3): two Chromium
 * processes, no signaling server anywhere and no ICE servers. The facilitator's device makes a
 * one-time invite; the newcomer's device holds only the link, scans the facilitator's venue code
 * with its (fake) camera, and the whole handshake (join request, sealed offer, agreement, sealed
 * welcome) runs over that venue link. Admitted, the newcomer's device proves its own key on the
 * same link and syncs posts both ways; the used link, tried again, is refused.
 */
describe('a newcomer admitted at a meeting without internet', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-venue-invite-'));
  const group = { groupIdHex: randomBytes(16).toString('hex'), secretHex: randomBytes(32).toString('hex') };
  let dev: { url: string; close(): Promise<void> };
  const devices: Device[] = [];
  let host: Device;
  let newcomer: Device;
  let link = '';
  let newcomerId = '';

  /** The facilitator shows a code; the newcomer scans it as a joiner and shows its answer; the facilitator scans that. */
  async function scanIn(): Promise<string> {
    const offer = await host.call.showCode();
    expect(offer.ok, offer.message).toBe(true);
    await show(host, newcomer);
    const scanned = await newcomer.call.scanAsJoiner();
    expect(scanned.ok, scanned.message).toBe(true);
    await show(newcomer, host);
    const answered = await host.call.scan();
    expect(answered).toMatchObject({ ok: true, answered: false, shortCode: scanned.shortCode });
    return answered.shortCode!;
  }

  beforeAll(async () => {
    dev = await startDevServer();
    [host, newcomer] = (await Promise.all(['facilitator', 'newcomer'].map((name) => launchVenueDevice(name, dir, dev.url)))) as [Device, Device];
    devices.push(host, newcomer);
    await host.call.found({ ...group, displayName: 'Hana' });
    link = await host.call.invite();
  });

  afterAll(async () => {
    await Promise.allSettled(devices.map((device) => device.browser.close()));
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the invite handshake over the venue link, showing one code on both screens', async () => {
    newcomerId = (await newcomer.call.holdInvite(link, 'Noor')).authorId;
    await scanIn();
    const offered = await until('the sealed offer', () => newcomer.call.joinerStage(), (stage) => stage.stage === 'offered');
    expect(offered.guidelines).toBe('What is said here stays here.');
    const [door] = await until('the newcomer at the door', () => host.call.atDoor(), (at) => at.length === 1);
    expect(door).toMatchObject({ member: newcomerId, displayName: 'Noor', agreed: false });
    expect(offered.code).toBe(door!.code);
    // Not a member yet: no member link on either side.
    expect(await host.call.venuePeers()).toEqual([]);
    expect(offered.venuePeers).toBe(0);
  });

  it('admits the newcomer once they agree, and the welcome carries the group’s secrets', async () => {
    expect(await host.call.admit(newcomerId)).toMatchObject({ ok: false });
    await newcomer.call.agree();
    await until('the agreement', () => host.call.atDoor(), (at) => at[0]?.agreed === true);
    expect(await host.call.admit(newcomerId)).toEqual({ ok: true });
    await until('the welcome', () => newcomer.call.joinerStage(), (stage) => stage.stage === 'welcomed');
  });

  it('re-proves the same link with the newcomer’s device key, and carries posts both ways', async () => {
    await newcomer.call.enterAsMember('Noor');
    await until('a member link on both sides', async () => [await host.call.venuePeers(), await newcomer.call.venuePeers()], ([h, n]) => h?.length === 1 && n?.length === 1);
    expect((await host.call.venuePeers())[0]).toMatchObject({ authorId: newcomerId, via: 'scan' });
    await host.call.post('Welcome, Noor.');
    await newcomer.call.post('Glad to be here.');
    for (const device of [host, newcomer]) {
      const posts = await until(`${device.name} holds both posts`, () => device.call.posts(), (posts) => posts.length === 2);
      expect(posts.every((post) => post.verified)).toBe(true);
    }
  });

  it('refuses the used link when it is tried again, and says why', async () => {
    await newcomer.call.holdInvite(link, 'Someone else');
    await scanIn();
    const stage = await until('the refusal', () => newcomer.call.joinerStage(), (stage) => stage.refusals.length > 0);
    expect(stage).toMatchObject({ stage: 'asking', refusals: ['used'] });
    expect(await host.call.problems()).toContain('invite-refused');
    expect((await host.call.venuePeers()).length).toBe(1);
  });

  it('raised no page errors', () => {
    expect(devices.flatMap((device) => device.errors.map((error) => `${device.name}: ${error}`))).toEqual([]);
  });
});
