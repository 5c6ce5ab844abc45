import '../../components/composer/hearth-composer.js';
import type { Intent } from '../../src/app/state.js';
import type { Draft } from '../../src/app/supportState.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { deepText, getByRole, queryAllByRole } from './queries.js';

/** A composer, opened (it starts folded to one line). */
async function composer(draft?: Draft) {
  const el = document.createElement('hearth-composer');
  if (draft) el.draft = draft;
  await mount(el);
  getByRole(el, 'button', draft ? 'Continue your draft…' : 'Write a post…').click();
  await settle(el);
  return el;
}

const posts = (intents: Intent[]) => intents.filter((intent) => intent.type === 'post');
const drafts = (intents: Intent[]) => intents.filter((intent) => intent.type === 'save-draft');

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

  it('starts folded to one line, and opens on a tap with the text field focused', async () => {
    const el = document.createElement('hearth-composer');
    await mount(el);
    assertEqual(queryAllByRole(el, 'textbox').length, 0, 'no text field while folded');
    assertEqual(queryAllByRole(el, 'radio').length, 0, 'no kinds while folded');
    await expectNoAxeViolations(el, 'the folded composer');
    getByRole(el, 'button', 'Write a post…').click();
    await settle(el);
    assertEqual(el.shadowRoot!.activeElement, getByRole(el, 'textbox', 'Your post'), 'focus in the text field');
    getByRole(el, 'button', 'Not now').click();
    await settle(el);
    getByRole(el, 'button', 'Write a post…');
  });

  it('shares a story, clears and folds itself, and says so in a status message', async () => {
    const el = await composer();
    const intents = recordIntents(el);
    type(getByRole(el, 'textbox', 'Your post'), '  Went to my first meeting in a year.  ');
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assertDeepEqual(posts(intents), [{ type: 'post', kind: 'story', body: 'Went to my first meeting in a year.' }]);
    const status = getByRole(el, 'status');
    assertEqual(status.textContent!.trim(), 'Shared with the group.');
    getByRole(el, 'button', 'Write a post…').click();
    await settle(el);
    assertEqual((getByRole(el, 'textbox', 'Your post') as HTMLTextAreaElement).value, '');
    assert((getByRole(el, 'radio', 'Story') as HTMLInputElement).checked, 'back to Story');
  });

  it('takes back a post the app could not share: no "Shared" status, and its words open as the draft', async () => {
    const el = await composer();
    type(getByRole(el, 'textbox', 'Your post'), 'Words the disk refused.');
    getByRole(el, 'button', 'Share').click();
    await settle(el);
    assertEqual(getByRole(el, 'status').textContent!.trim(), 'Shared with the group.');
    el.draft = { kind: 'story', body: 'Words the disk refused.' };
    await settle(el);
    assert(!deepText(el).includes('Shared with the group.'), 'no longer says it was shared');
    getByRole(el, 'button', 'Continue your draft…').click();
    await settle(el);
    assertEqual((getByRole(el, 'textbox', 'Your post') as HTMLTextAreaElement).value, 'Words the disk refused.');
  });

  it('saves a draft shortly after typing, and at once when focus leaves the form', async () => {
    const el = await composer();
    const intents = recordIntents(el);
    await choose(el, 'Victory');
    type(getByRole(el, 'textbox', 'Your post'), 'Ninety days');
    type(getByRole(el, 'spinbutton', 'Milestone (optional)'), '90');
    await new Promise((resolve) => setTimeout(resolve, 700));
    assertDeepEqual(drafts(intents), [{ type: 'save-draft', draft: { kind: 'victory', body: 'Ninety days', milestoneValue: '90', milestoneUnit: 'days' } }]);
    type(getByRole(el, 'textbox', 'Your post'), 'Ninety days!');
    getByRole(el, 'textbox', 'Your post').dispatchEvent(new FocusEvent('focusout', { bubbles: true, composed: true }));
    assertEqual(drafts(intents).length, 2, 'saved on leaving the form');
    assertDeepEqual(drafts(intents)[1], { type: 'save-draft', draft: { kind: 'victory', body: 'Ninety days!', milestoneValue: '90', milestoneUnit: 'days' } });
  });

  it('brings back a saved draft, and discards it on request', async () => {
    const el = await composer({ kind: 'encouragement', body: 'You are doing great', contentWarning: 'none really' });
    const intents = recordIntents(el);
    assertEqual((getByRole(el, 'textbox', 'Your post') as HTMLTextAreaElement).value, 'You are doing great');
    assert((getByRole(el, 'radio', 'Encouragement') as HTMLInputElement).checked, 'the draft kind');
    assertEqual((getByRole(el, 'textbox', 'Content warning (optional)') as HTMLInputElement).value, 'none really');
    await expectNoAxeViolations(el, 'the composer with a draft');
    getByRole(el, 'button', 'Discard draft').click();
    await settle(el);
    assertDeepEqual(drafts(intents), [{ type: 'save-draft', draft: null }]);
    assertEqual(queryAllByRole(el, 'textbox').length, 0, 'folded again');
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
    assertDeepEqual(posts(intents), [
      { type: 'post', kind: 'victory', body: 'Six months!', contentWarning: 'mentions drinking', milestone: { value: 6, unit: 'months' } },
    ]);
    getByRole(el, 'button', 'Write a post…').click();
    await settle(el);
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
    assertEqual(posts(intents).length, 0);
    type(getByRole(el, 'spinbutton', 'Milestone (optional)'), '100');
    await settle(el);
    assert(!deepText(el).includes('A milestone is a whole number'), 'the message clears once fixed');
  });
});
