import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { cleanup, mount } from './dom.js';
import { ROUTES } from './fixtures.js';
import { deepElements } from './queries.js';

/** The style policy index.html ships: no inline styles of any kind. */
const POLICY = "style-src 'self'; img-src 'self'";

describe('under a strict style-src policy', () => {
  const violations: string[] = [];

  before(async () => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = POLICY;
    document.head.append(meta);
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.sample}`));
    // Defined only now, so every stylesheet is made under the policy.
    await import('../../components/index.js');
  });
  afterEach(cleanup);

  it('styles every view through adopted stylesheets with no policy violation', async () => {
    for (const [, state] of ROUTES) {
      const el = document.createElement('hearth-app');
      el.state = state;
      el.theme = 'dark';
      await mount(el);
      assertEqual(getComputedStyle(el).backgroundColor, 'rgb(27, 22, 19)', 'the theme applied');
      const hearthElements = [el, ...deepElements(el)].filter((node) => node.localName.startsWith('hearth-'));
      for (const node of hearthElements) assert(node.shadowRoot!.adoptedStyleSheets.length > 0, `${node.localName} adopted its styles`);
      el.parentElement!.remove();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assertDeepEqual(violations, []);
  });

  it('is live: an inline style attribute is refused', async () => {
    const before = violations.length;
    const probe = document.createElement('div');
    probe.className = 'fixture';
    probe.innerHTML = '<p style="color: red">probe</p>';
    document.body.append(probe);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert(violations.length > before, 'no violation reported for an inline style');
    violations.length = before;
  });
});
