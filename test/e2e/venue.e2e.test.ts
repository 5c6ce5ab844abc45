import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevServer } from './harness.js';
import { launchVenueDevice, meet, show, until, type Device } from './venueHelpers.js';

/**
 * A meeting without internet: separate Chromium processes, no signaling server anywhere (the
 * pages' signaling URL is a port where nothing listens) and no ICE servers. Each process's
 * camera is a fake device playing a y4m file; the test copies the QR code from one page's
 * screen into the other's camera file before each scan, so the real scanner (jsQR: Chromium on
 * Linux has no BarcodeDetector) reads it.
 */

describe('a meeting without internet (venue mode)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-venue-'));
  const group = { groupIdHex: randomBytes(16).toString('hex'), secretHex: randomBytes(32).toString('hex') };
  let dev: { url: string; close(): Promise<void> };
  const devices: Device[] = [];
  let host: Device;
  let ana: Device;
  let bo: Device;
  let outsider: Device;
  const ids: Record<string, string> = {};

  async function launch(name: string): Promise<Device> {
    const device = await launchVenueDevice(name, dir, dev.url);
    devices.push(device);
    return device;
  }

  beforeAll(async () => {
    dev = await startDevServer();
    // The host's page first warms the dev server's modules: four cold loads at once timed out under load.
    host = await launch('host');
    [ana, bo, outsider] = (await Promise.all(['ana', 'bo', 'outsider'].map(launch))) as [Device, Device, Device];
    for (const [device, displayName] of [
      [host, 'Hana'],
      [ana, 'Ana'],
      [bo, 'Bo'],
    ] as const) {
      ids[device.name] = (await device.call.join({ ...group, displayName })).authorId;
    }
    // They met before (at home, online): each holds the others' member records.
    const held = [...(await host.call.envelopes()), ...(await ana.call.envelopes()), ...(await bo.call.envelopes())];
    for (const device of [host, ana, bo]) await device.call.receive(held);
  });

  afterAll(async () => {
    await Promise.allSettled(devices.map((device) => device.browser.close()));
    await dev?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('connects a host and a member in two processes by scanning each other’s QR codes', async () => {
    await meet(host, ana);
    await until('host and Ana linked', async () => [await host.call.venuePeers(), await ana.call.venuePeers()], ([h, a]) => h?.length === 1 && a?.length === 1);
    expect((await host.call.venuePeers())[0]).toMatchObject({ authorId: ids.ana, via: 'scan' });
    await until('Ana up to date', () => ana.call.status(), (status) => status.state === 'up-to-date' && status.peers === 1);
  });

  it('connects a third process, which the host introduces to the first without another scan', async () => {
    await meet(host, bo);
    const [anaPeers, boPeers] = await until(
      'a full mesh',
      async () => [await ana.call.venuePeers(), await bo.call.venuePeers()],
      ([a, b]) => a?.length === 2 && b?.length === 2,
    );
    expect(anaPeers!.find((peer) => peer.authorId === ids.bo)?.via).toBe('introduction');
    expect(boPeers!.find((peer) => peer.authorId === ids.ana)?.via).toBe('introduction');
  });

  it('carries posts every way between the three', async () => {
    await host.call.post('Welcome, everyone, phones on the table.');
    await ana.call.post('Ninety days today.');
    await bo.call.post('First meeting for me. Thank you.');
    for (const device of [host, ana, bo]) {
      const posts = await until(`${device.name} holds three posts`, () => device.call.posts(), (posts) => posts.length === 3);
      expect(posts.every((post) => post.verified)).toBe(true);
    }
  });

  it('shows each device the other two as here now', async () => {
    for (const [device, others] of [
      [host, ['Ana', 'Bo']],
      [ana, ['Bo', 'Hana']],
      [bo, ['Ana', 'Hana']],
    ] as const) {
      const present = await until(`${device.name} sees two here`, () => device.call.presence(), (members) => members.length === 2);
      expect(present.map((member) => member.displayName).sort()).toEqual(others);
    }
  });

  it('keeps the members in sync after the host leaves, and lets one of them host the next person', async () => {
    await host.call.closeVenue();
    await until('Ana and Bo without the host', () => ana.call.venuePeers(), (peers) => peers.length === 1);
    await bo.call.post('Still here after Hana left.');
    await until('Ana has Bo’s new post', () => ana.call.posts(), (posts) => posts.some((post) => post.body === 'Still here after Hana left.'));
    // Ana takes over: the host comes back through Ana's code, by the "copy code" text this time.
    await host.call.reopenVenue();
    const offer = await ana.call.showCode();
    const answer = await host.call.paste(offer.text!);
    expect(answer.ok, answer.message).toBe(true);
    const connected = await ana.call.paste(answer.answer!);
    expect(connected).toMatchObject({ ok: true, shortCode: answer.shortCode });
    await until('the host holds Bo’s post', () => host.call.posts(), (posts) => posts.some((post) => post.body === 'Still here after Hana left.'));
    await until('Ana introduced the host to Bo', () => bo.call.venuePeers(), (peers) => peers.length === 2);
  });

  it('gives a clear message for a damaged or truncated code', async () => {
    const offer = await host.call.showCode();
    const truncated = await bo.call.paste(offer.text!.slice(0, 40));
    expect(truncated).toEqual({ ok: false, message: 'That code is incomplete. Please scan it again, or copy the whole code.' });
    expect((await bo.call.paste('not a code at all')).message).toMatch(/not a Hearth meeting code/);
  });

  it('tells a stranger who scans the code nothing but a nonce, and applies nothing it sends', async () => {
    const authorsBefore = await host.call.authors();
    const postsBefore = (await host.call.posts()).length;
    await host.call.showCode();
    await show(host, outsider);
    expect(await outsider.call.strangerScan()).toEqual({ answered: true });
    await show(outsider, host);
    // The host reads the answer; the connection opens and is refused at the first message.
    await host.call.scan();
    await until('the host refused the stranger', () => host.call.problems(), (problems) => problems.includes('bad-proof'));
    const log = await until('the stranger’s link closed', () => outsider.call.strangerLog(), (log) => log.received.length > 0 && !log.open);
    expect(log.received).toEqual(['challenge']);
    expect(await host.call.authors()).toBe(authorsBefore);
    expect((await host.call.posts()).length).toBe(postsBefore);
  });

  it('refuses a device with the group’s keys whose key is not on the member list', async () => {
    ids.outsider = (await outsider.call.join({ ...group, displayName: 'Not on the list' })).authorId;
    await outsider.call.post('Injected by someone not on the list.');
    await meet(host, outsider).catch(() => undefined);
    await until('the host refused the outsider', () => host.call.problems(), (problems) => problems.includes('not-a-member'));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await outsider.call.venuePeers()).toEqual([]);
    expect((await outsider.call.posts()).map((post) => post.body)).toEqual(['Injected by someone not on the list.']);
    for (const device of [host, ana, bo]) {
      expect((await device.call.posts()).some((post) => post.authorId === ids.outsider)).toBe(false);
    }
  });

  it('raised no page errors', () => {
    expect(devices.flatMap((device) => device.errors.map((error) => `${device.name}: ${error}`))).toEqual([]);
  });
});
