import { html, LitElement } from 'lit';
import '../../components/index.js';
import type { HearthApp } from '../../components/app/hearth-app.js';
import type { AppState } from '../../src/app/state.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { axeViolations, contrastCoverage, expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle } from './dom.js';
import { GROUP, ROUTES, appState } from './fixtures.js';
import { deepElements, deepText, getByRole, queryAllByRole } from './queries.js';

async function showApp(state: AppState, theme?: 'light' | 'dark', width?: string): Promise<HearthApp> {
  const el = document.createElement('hearth-app');
  el.state = state;
  if (theme) el.theme = theme;
  return mount(el, width);
}

describe('<hearth-app>', () => {
  afterEach(cleanup);

  for (const [name, state] of ROUTES) {
    for (const theme of ['light', 'dark'] as const) {
      it(`renders the ${name} view with no axe violations in the ${theme} palette`, async () => {
        const el = await showApp(state, theme);
        await expectNoAxeViolations(el, `${name} (${theme})`);
        const contrast = await contrastCoverage(el);
        assertEqual(contrast.failed, 0, 'contrast failures');
        assert(contrast.passed > 0, 'axe checked some text for contrast');
        assertEqual(contrast.undecided, 0, `text axe could not check for contrast: ${contrast.undecidedWhy.join('\n')}`);
      });
    }
    it(`fits the ${name} view in 320 px without scrolling sideways`, async () => {
      const el = await showApp(state, undefined, '320px');
      const container = el.parentElement!;
      container.style.overflowX = 'auto';
      assert(container.scrollWidth <= container.clientWidth, `${container.scrollWidth}px wide content in 320px`);
    });
  }

  it('keeps everything people type out of the browser\'s autofill storage', async () => {
    // Chromium saves submitted form fields to its profile in clear unless autocomplete is off.
    for (const [name, state] of ROUTES) {
      const el = await showApp(state);
      // Typed text is what autofill keeps; a radio or checkbox holds no words.
      const fields = deepElements(el).filter((e) => e.matches('input:not([type=radio]):not([type=checkbox]):not([readonly]), textarea'));
      for (const field of fields) {
        const form = (field as HTMLInputElement).form;
        assert(form, `${name}: a ${field.localName} outside a form`);
        assertEqual(form.autocomplete, 'off', `${name}: form autocomplete`);
      }
    }
  });

  it('uses the dark palette when asked, and follows the system by default', async () => {
    const light = await showApp(appState({ name: 'groups' }), 'light');
    const dark = await showApp(appState({ name: 'groups' }), 'dark');
    const auto = await showApp(appState({ name: 'groups' }));
    assertEqual(getComputedStyle(light).backgroundColor, 'rgb(250, 245, 239)');
    assertEqual(getComputedStyle(dark).backgroundColor, 'rgb(27, 22, 19)');
    assertEqual(getComputedStyle(auto).colorScheme, 'light dark');
  });

  it('keeps the header flame in two tones in the dark palette as in the light', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const el = await showApp(appState({ name: 'groups' }), theme);
      const [outer, inner] = Array.from(el.shadowRoot!.querySelectorAll('.brand path'), (path) => getComputedStyle(path).fill);
      assert(outer !== inner, `${theme}: flame ${outer} with core ${inner}`);
    }
  });

  it('offers "Support now" on every screen of the open group, and alerts above it', async () => {
    const board = await showApp(appState({ name: 'board', groupId: GROUP.id }));
    getByRole(board, 'button', 'Support now');
    const invite = await showApp(appState({ name: 'invite', groupId: GROUP.id }));
    getByRole(invite, 'button', 'Support now');
    const groups = await showApp(appState({ name: 'groups' }));
    assertEqual(queryAllByRole(groups, 'button', 'Support now').length, 0, 'not outside a group');
    const alerted = await showApp(ROUTES.find(([name]) => name.startsWith('board (a member is struggling'))![1]);
    getByRole(alerted, 'heading', 'Ben is struggling right now');
  });

  it('keeps the focus box off a heading focused after a tap, and on it after the keyboard', async () => {
    const el = await showApp(appState({ name: 'groups' }));
    document.body.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    el.state = appState({ name: 'create-group' });
    await settle(el);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const heading = getByRole(el, 'heading', 'Create a group');
    assertEqual((heading.getRootNode() as ShadowRoot).activeElement, heading, 'focused for screen readers');
    assertEqual(getComputedStyle(heading).outlineStyle, 'none', 'no box after a tap');
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    el.state = appState({ name: 'groups' });
    await settle(el);
    el.state = appState({ name: 'create-group' });
    await settle(el);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const again = getByRole(el, 'heading', 'Create a group');
    assertEqual((again.getRootNode() as ShadowRoot).activeElement, again);
    assert(!again.classList.contains('no-ring'), 'the ring is allowed after the keyboard');
  });

  it('keeps the page title "Hearth", whatever is open', async () => {
    document.title = 'something else';
    const el = await showApp(appState({ name: 'board', groupId: GROUP.id }));
    assertEqual(document.title, 'Hearth');
    el.state = appState({ name: 'invite', groupId: GROUP.id });
    await settle(el);
    assertEqual(document.title, 'Hearth');
  });

  it('renders each route with the right view', async () => {
    const expectations: [AppState, string][] = [
      [appState({ name: 'welcome' }, { profile: undefined }), 'Welcome to Hearth'],
      [appState({ name: 'groups' }), 'Your groups'],
      [appState({ name: 'create-group' }), 'Create a group'],
      [appState({ name: 'board', groupId: GROUP.id }), 'Tuesday evening circle'],
      [appState({ name: 'invite', groupId: GROUP.id }), 'Invite someone to Tuesday evening circle'],
      [appState({ name: 'join', groupName: 'Friday walkers' }), "You've been invited to Friday walkers"],
      [appState({ name: 'bad-invite', message: 'Broken link.' }), "This invite link doesn't work"],
    ];
    for (const [state, heading] of expectations) {
      const el = await showApp(state);
      getByRole(el, 'heading', heading);
      el.parentElement!.remove();
    }
  });

  it('asks a new person for a name when joining, and not someone who has one', async () => {
    const fresh = await showApp(appState({ name: 'join', groupName: 'Circle' }, { profile: undefined }));
    getByRole(fresh, 'textbox', 'Display name');
    const known = await showApp(appState({ name: 'join', groupName: 'Circle' }));
    assertEqual(queryAllByRole(known, 'textbox').length, 0);
  });

  it('waits politely while a board or invite is not ready', async () => {
    const board = await showApp(appState({ name: 'board', groupId: 'other' }));
    assert(deepText(board).includes('Opening the board…'), 'board placeholder');
    const invite = await showApp(appState({ name: 'invite', groupId: GROUP.id }, { invite: undefined }));
    assert(deepText(invite).includes('Preparing the invite…'), 'invite placeholder');
  });

  it('shows errors as an alert and information as a status, each dismissable', async () => {
    const el = await showApp(appState({ name: 'groups' }, { notice: { kind: 'error', message: 'Could not save.' } }));
    const intents = recordIntents(el);
    const alert = getByRole(el, 'alert');
    assert(alert.textContent!.includes('Could not save.'), 'the error is in the alert');
    getByRole(el, 'button', 'Dismiss this message').click();
    assertDeepEqual(intents, [{ type: 'dismiss-notice' }]);
    el.state = appState({ name: 'groups' }, { notice: { kind: 'info', message: 'Joined.' } });
    await settle(el);
    assertEqual(getByRole(el, 'alert').textContent!.trim(), '');
    assert(queryAllByRole(el, 'status').some((s) => s.textContent!.includes('Joined.')), 'the info is in a status');
  });

  it('offers to reload when an update is ready', async () => {
    const el = await showApp(appState({ name: 'groups' }, { updateAvailable: true }));
    const intents = recordIntents(el);
    assert(deepText(el).includes('A new version of Hearth is ready.'), 'update copy');
    getByRole(el, 'button', 'Reload').click();
    assertDeepEqual(intents, [{ type: 'apply-update' }]);
  });

  it("moves focus to the new view's heading after navigation", async () => {
    const el = await showApp(appState({ name: 'groups' }));
    el.state = appState({ name: 'create-group' });
    await settle(el);
    await new Promise((resolve) => setTimeout(resolve, 0));
    const heading = getByRole(el, 'heading', 'Create a group');
    assertEqual((heading.getRootNode() as ShadowRoot).activeElement, heading);
  });

  it('focuses the first view shown as the page opens only once it is painted, so the focus lays out nothing before that', async () => {
    const el = await showApp(appState({ name: 'welcome' }, { status: 'loading' }));
    el.state = appState({ name: 'create-group' });
    await settle(el);
    const heading = getByRole(el, 'heading', 'Create a group');
    const root = heading.getRootNode() as ShadowRoot;
    assert(root.activeElement !== heading, 'not focused before the first frame');
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
    await new Promise((resolve) => setTimeout(resolve, 0));
    assertEqual(root.activeElement, heading, 'focused for screen readers once painted');
  });

  it('lets every intent from the views bubble out of the app', async () => {
    const el = await showApp(appState({ name: 'groups' }));
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Create a group').click();
    assertDeepEqual(intents, [{ type: 'navigate', route: { name: 'create-group' } }]);
  });

  it('renders no inline style attributes, so a strict style-src CSP holds', async () => {
    for (const [, state] of ROUTES) {
      const el = await showApp(state);
      const styled = deepElements(el).filter((node) => node.hasAttribute('style'));
      assertDeepEqual(styled.map((node) => node.localName), []);
      assertEqual(deepElements(el).filter((node) => node.localName === 'style').length, 0, '<style> elements');
    }
  });
});

class LowContrast extends LitElement {
  override render() {
    return html`<p style="color:#bbb;background:#fff">Faint words</p><input />`;
  }
}
customElements.define('test-low-contrast', LowContrast);

describe('the accessibility check itself', () => {
  afterEach(cleanup);

  it('finds low contrast and unlabelled fields inside shadow roots', async () => {
    const el = await mount(document.createElement('test-low-contrast'));
    const found = (await axeViolations(el)).map((v) => v.split(' ')[0]);
    assert(found.includes('color-contrast'), found.join());
    assert(found.includes('label'), found.join());
  });
});
