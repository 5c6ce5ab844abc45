import '../../components/index.js';
import type { AppState } from '../../src/app/state.js';
import { assert, assertDeepEqual } from '../assert.js';
import { cleanup, mount, settle } from './dom.js';
import { ANA, BEN, GROUP, appState, boardScreen, member, members, postView, reply } from './fixtures.js';
import { deepElements, deepText, queryAllByRole } from './queries.js';
import { XSS_PAYLOADS } from './xss-payloads.js';

declare global {
  interface Window {
    __xss?: unknown;
  }
}

/** Every place the app shows text that came from someone else, filled with `text`. */
function hostileStates(text: string): [string, AppState][] {
  const group = { ...GROUP, name: text, guidelines: text };
  const plain = postView({ authorId: BEN, body: text });
  plain.replies.push(reply(plain.record.id, BEN, text));
  const warned = postView({ authorId: BEN, body: text, contentWarning: text });
  const victory = postView({ authorId: BEN, kind: 'victory', body: text, milestone: { value: 7, unit: 'days' } });
  const board = boardScreen({
    group,
    viewerId: ANA,
    posts: [plain, warned, victory],
    members: members(member(ANA, 'Ana'), member(BEN, text)),
    presence: [{ authorId: BEN, displayName: text, since: 0 }],
    support: {
      groupLines: [{ id: `${BEN}/line-x`, name: text, phone: '0800 555 0100', note: text }],
      canEditLines: true,
      contacts: [{ name: text, phone: '07700 900123' }],
      incoming: [{ authorId: BEN, name: text, alertId: 'a'.repeat(16), sentAt: 0, note: text, answered: [] }],
      mine: { sentAt: 0, note: text, receivedBy: [text], answers: [{ name: text, kind: 'reply', body: text, sentAt: 0 }] },
    },
  });
  return [
    ['board', appState({ name: 'board', groupId: GROUP.id }, { board, notice: { kind: 'error', message: text } })],
    ['groups', appState({ name: 'groups' }, { groups: [group], notice: { kind: 'info', message: text } })],
    ['invite', appState({ name: 'invite', groupId: GROUP.id }, { invite: { groupName: text, link: 'https://hearth.example/#invite=AQID' } })],
    ['join', appState({ name: 'join', groupName: text }, { profile: undefined })],
    ['bad-invite', appState({ name: 'bad-invite', message: text })],
  ];
}

/** Renders a state and opens everything that hides text: content warnings, guidelines, the leave dialog. */
async function renderOpen(state: AppState): Promise<HTMLElement> {
  const el = document.createElement('hearth-app');
  el.state = state;
  await mount(el);
  for (const button of queryAllByRole(el, 'button', /^Show post \(content warning/)) button.click();
  for (const node of deepElements(el)) if (node instanceof HTMLDetailsElement) node.open = true;
  queryAllByRole(el, 'button', /^Leave group/)[0]?.click();
  queryAllByRole(el, 'button', 'Support now')[0]?.click();
  await settle(el);
  return el;
}

const tagCounts = (el: HTMLElement): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const node of deepElements(el)) counts[node.localName] = (counts[node.localName] ?? 0) + 1;
  return counts;
};

const BENIGN = 'Plain words from a member';

describe('hostile text in every field renders as inert text', function () {
  const originals = { alert: window.alert, confirm: window.confirm, prompt: window.prompt };
  const baseline = new Map<string, Record<string, number>>();

  before(async () => {
    const flag = (): undefined => void (window.__xss = 'dialog');
    Object.assign(window, { alert: flag, confirm: flag, prompt: flag });
    for (const [route, state] of hostileStates(BENIGN)) {
      baseline.set(route, tagCounts(await renderOpen(state)));
      cleanup();
    }
  });
  after(() => Object.assign(window, originals));
  afterEach(cleanup);

  it(`has at least 50 payloads to try (${XSS_PAYLOADS.length})`, () => {
    assert(XSS_PAYLOADS.length >= 50, 'too few payloads');
  });

  XSS_PAYLOADS.forEach((payload, i) => {
    it(`shows payload ${i + 1} literally and runs nothing: ${JSON.stringify(payload).slice(0, 60)}`, async () => {
      const scriptsBefore = document.querySelectorAll('script, iframe, img, style, link, meta, base').length;
      for (const [route, state] of hostileStates(payload)) {
        const el = await renderOpen(state);
        const text = deepText(el);
        assert(text.includes(payload), `${route}: the payload is not shown literally`);
        // Same elements as for plain words: nothing in the payload became markup.
        assertDeepEqual(tagCounts(el), baseline.get(route), `${route}: elements`);
        for (const node of deepElements(el)) {
          for (const attr of Array.from(node.attributes)) {
            assert(!attr.name.startsWith('on'), `${route}: event handler attribute ${attr.name} on <${node.localName}>`);
            // The one address the app renders: a tel: link of digits, built from a checked number.
            const telLink = attr.name === 'href' && node.localName === 'a' && /^tel:\+?[0-9]+$/.test(attr.value);
            assert(telLink || !['href', 'src', 'srcdoc', 'xlink:href', 'action', 'formaction', 'style'].includes(attr.name), `${route}: ${attr.name}=${attr.value} on <${node.localName}>`);
          }
        }
        el.parentElement!.remove();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      assert(window.__xss === undefined, `script ran: __xss = ${String(window.__xss)}`);
      assert(document.querySelectorAll('script, iframe, img, style, link, meta, base').length === scriptsBefore, 'the page gained elements');
    });
  });
});
