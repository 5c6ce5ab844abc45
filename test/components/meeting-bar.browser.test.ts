import '../../components/meeting-bar/hearth-meeting-bar.js';
import type { SyncView } from '../../src/app/state.js';
import { assert, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount } from './dom.js';
import { BEN, CAL, T0 } from './fixtures.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

async function bar(sync: SyncView, presence = [{ authorId: BEN, displayName: 'Ben', since: T0 }]) {
  const el = document.createElement('hearth-meeting-bar');
  Object.assign(el, { sync, presence });
  return mount(el);
}

describe('<hearth-meeting-bar>', () => {
  afterEach(cleanup);

  const cases: [SyncView, string][] = [
    [{ state: 'offline', peers: 0, rejected: 0 }, 'Offline — your posts are kept on this device'],
    [{ state: 'connecting', peers: 0, rejected: 0 }, 'Connecting…'],
    [{ state: 'connected', peers: 1, rejected: 0 }, 'Connected to 1 person — syncing…'],
    [{ state: 'connected', peers: 3, rejected: 0 }, 'Connected to 3 people — syncing…'],
    [{ state: 'up-to-date', peers: 2, rejected: 0 }, 'Up to date with 2 people'],
  ];
  for (const [sync, words] of cases) {
    it(`says "${words}" in a status region when ${sync.state} with ${sync.peers} peers`, async () => {
      const el = await bar(sync);
      const status = queryAllByRole(el, 'status').find((s) => s.textContent!.trim());
      assertEqual(status?.textContent!.trim(), words);
    });
  }

  it('names who is here now', async () => {
    const el = await bar({ state: 'up-to-date', peers: 2, rejected: 0 }, [
      { authorId: BEN, displayName: 'Ben', since: T0 },
      { authorId: CAL, displayName: 'Cal', since: T0 },
    ]);
    const list = getByRole(el, 'list', 'Here now');
    assertEqual(Array.from(list.querySelectorAll('li'), (li) => li.textContent!.trim()).join(', '), 'Ben, Cal');
    await expectNoAxeViolations(el, 'the meeting bar');
  });

  it('says when no one else is here', async () => {
    const el = await bar({ state: 'offline', peers: 0, rejected: 0 }, []);
    assert(deepText(el).includes('No one else is here right now.'), 'no empty presence copy');
  });

  it('warns calmly about data that could not be verified', async () => {
    const el = await bar({ state: 'connected', peers: 1, rejected: 4 });
    assert(
      deepText(el).includes("4 pieces of data from the network couldn't be verified and were ignored. Your board is safe."),
      'no rejected-data warning',
    );
    await expectNoAxeViolations(el, 'the meeting bar with a warning');
    const one = await bar({ state: 'connected', peers: 1, rejected: 1 });
    assert(deepText(one).includes("1 piece of data from the network couldn't be verified and was ignored."), 'singular');
  });

  it('shows no warning when nothing was rejected', async () => {
    const el = await bar({ state: 'up-to-date', peers: 1, rejected: 0 });
    assert(!deepText(el).includes("couldn't be verified"), 'no warning expected');
  });

  it('lists what was refused, by code, what waits, and who forked, in connection details', async () => {
    const el = await bar({ state: 'connected', peers: 1, rejected: 5 });
    Object.assign(el, { diagnostics: { rejectedByCode: { 'bad-signature': 4, 'not-author': 1 }, waiting: 2, forked: ['Cal'] } });
    await el.updateComplete;
    el.shadowRoot!.querySelector('summary')!.click();
    const details = getByRole(el, 'list', 'Connection details');
    assertEqual(
      Array.from(details.querySelectorAll('li'), (li) => li.textContent!.trim()).join(' | '),
      "Refused (bad-signature): 4 | Refused (not-author): 1 | Waiting for earlier changes: 2 | Cal's device sent two versions of one change; one was kept",
    );
    await expectNoAxeViolations(el, 'the meeting bar with connection details');
  });

  it('shows no connection details when nothing was refused or waits', async () => {
    const el = await bar({ state: 'up-to-date', peers: 1, rejected: 0 });
    assert(!deepText(el).includes('Connection details'), 'no details expected');
  });
});
