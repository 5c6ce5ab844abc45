// Imports the root element alone, as the app's entry does: every view but the first screens
// loads when hearth-app first shows it (components/app/views.ts).
import '../../components/app/hearth-app.js';
import type { HearthApp } from '../../components/app/hearth-app.js';
import { assert, assertEqual } from '../assert.js';
import { cleanup, mount, settle } from './dom.js';
import { GROUP, appState } from './fixtures.js';
import { getByRole, queryAllByRole } from './queries.js';

async function until(found: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !found(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!found()) throw new Error(`never saw ${what}`);
}

const opening = (el: HTMLElement): boolean => queryAllByRole(el, 'status').some((status) => status.textContent === 'Opening…');

describe('<hearth-app> loading views as it shows them', () => {
  afterEach(cleanup);

  it('shows the welcome screen with none of the other views loaded', async () => {
    const el = document.createElement('hearth-app') as HearthApp;
    el.state = appState({ name: 'welcome' }, { profile: undefined, groups: [] });
    await mount(el);
    getByRole(el, 'heading', 'Welcome to Hearth');
    for (const tag of ['hearth-board', 'hearth-groups', 'hearth-join', 'hearth-settings', 'hearth-venue', 'hearth-post', 'hearth-composer']) {
      assertEqual(customElements.get(tag), undefined, `${tag} is not loaded`);
    }
  });

  it('says the board is opening, then shows it with the focus on its heading', async () => {
    const el = document.createElement('hearth-app') as HearthApp;
    el.state = appState({ name: 'welcome' }, { profile: undefined, groups: [] });
    await mount(el);
    el.state = appState({ name: 'board', groupId: GROUP.id });
    await settle(el);
    assertEqual(customElements.get('hearth-board'), undefined, 'the board module is still loading');
    assert(opening(el), 'an "Opening…" status');
    await until(() => queryAllByRole(el, 'heading', GROUP.name).length === 1, "the board's heading");
    const heading = getByRole(el, 'heading', GROUP.name);
    await until(() => (heading.getRootNode() as ShadowRoot).activeElement === heading, "the focus on the board's heading");
    assert(!opening(el), 'the status is gone');
  });
});
