import '../../components/composer/hearth-composer.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

async function composer() {
  return mount(document.createElement('hearth-composer'));
}

async function choose(el: HTMLElement, kind: string): Promise<void> {
  getByRole(el, 'radio', kind).click();
  await settle(el);
}

describe('<hearth-composer>', () => {
  afterEach(cleanup);

  it('offers the three kinds as a labelled radio group, story first', async () => {
    const el = await composer();
    getByRole(el, 'radiogroup', 'What kind of post?');
    const radios = queryAllByRole(el, 'radio') as HTMLInputElement[];
    assertDeepEqual(
      radios.map((r) => [r.labels![0]!.textContent!.replace(/\s+/g, ' ').trim(), r.checked]),
      [
        ['❝ Story', true],
        ['♥ Encouragement', false],
        ['★ Victory', false],
      ],
    );
    getByRole(el, 'radio', 'Story');
    await expectNoAxeViolations(el, 'the composer');
  });

  it('shares a story and clears itself', async () => {
    const el = await composer();
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Your post'), '  Went to my first meeting in a year.  ');
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assertDeepEqual(intents, [{ type: 'post', kind: 'story', body: 'Went to my first meeting in a year.' }]);
    assertEqual((getByRole(el, 'textbox', 'Your post') as HTMLTextAreaElement).value, '');
    assert((getByRole(el, 'radio', 'Story') as HTMLInputElement).checked, 'back to Story');
  });

  it('shares a victory with a milestone and a content warning', async () => {
    const el = await composer();
    const intents = recordIntents(el);
    await choose(el, 'Victory');
    type(getByRole(el, 'textbox', 'Your post'), 'Six months!');
    type(getByRole(el, 'spinbutton', 'Milestone (optional)'), '6');
    (getByRole(el, 'combobox', 'Milestone unit') as HTMLSelectElement).value = 'months';
    type(getByRole(el, 'textbox', 'Content warning (optional)'), 'mentions drinking');
    await expectNoAxeViolations(el, 'the composer for a victory');
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assertDeepEqual(intents, [
      { type: 'post', kind: 'victory', body: 'Six months!', contentWarning: 'mentions drinking', milestone: { value: 6, unit: 'months' } },
    ]);
    assertEqual(queryAllByRole(el, 'spinbutton').length, 0, 'milestone fields go with the victory choice');
  });

  it('asks for a milestone only for victories', async () => {
    const el = await composer();
    assertEqual(queryAllByRole(el, 'spinbutton').length, 0);
    await choose(el, 'Encouragement');
    assertEqual(queryAllByRole(el, 'spinbutton').length, 0);
    await choose(el, 'Victory');
    getByRole(el, 'spinbutton', 'Milestone (optional)');
  });

  it('explains the limits in plain words and shares nothing until they are met', async () => {
    const el = await composer();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assert(deepText(el).includes('Write something to share first.'), 'empty post message');
    const body = getByRole(el, 'textbox', 'Your post');
    assertEqual(el.shadowRoot!.activeElement, body, 'focus goes to the field to fix');
    type(body, 'x'.repeat(5_001));
    type(getByRole(el, 'textbox', 'Content warning (optional)'), 'w'.repeat(201));
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    const text = deepText(el);
    assert(text.includes('A post can be up to 5,000 characters — this has 5,001.'), 'body limit message');
    assert(text.includes('A content warning can be up to 200 characters'), 'warning limit message');
    await expectNoAxeViolations(el, 'the composer with errors');
    type(body, 'ok');
    type(getByRole(el, 'textbox', 'Content warning (optional)'), '');
    await choose(el, 'Victory');
    type(getByRole(el, 'spinbutton', 'Milestone (optional)'), '100001');
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assert(deepText(el).includes('A milestone is a whole number from 0 to 100,000.'), 'milestone limit message');
    assertEqual(intents.length, 0);
  });
});
