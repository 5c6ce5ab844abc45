import ICAL from 'ical.js';
import '../../components/index.js';
import '../../components/checkin/hearth-checkin.js';
import '../../components/meeting/hearth-meeting-mode.js';
import '../../components/recovery/hearth-recovery-days.js';
import '../../components/schedule/hearth-schedule.js';
import '../../components/shelf/hearth-shelf.js';
import type { AppState } from '../../src/app/state.js';
import { assert, assertDeepEqual, assertEqual } from '../assert.js';
import { contrastCoverage, expectNoAxeViolations } from './axe.js';
import { cleanup, mount, recordIntents, settle, type } from './dom.js';
import { ANA, BEN, CAL, GROUP, T0, appState, members, member } from './fixtures.js';
import { deepElements, deepText, getByRole, queryAllByRole } from './queries.js';
import { agenda, weekBoard, weekScreen } from './weekFixtures.js';

/** The week's views alone and inside the app: behaviour, axe in both palettes, 320 px. */

const VIEWS: [string, AppState][] = [
  ['board with the week (facilitator, milestone offered)', appState({ name: 'board', groupId: GROUP.id }, { board: weekBoard() })],
  [
    'board with the week (member, no start date, nothing scheduled)',
    appState({ name: 'board', groupId: GROUP.id }, { board: weekBoard({ facilitator: false, recovery: undefined, slots: [], next: undefined, checkins: [], mine: [] }) }),
  ],
  ['coping shelf', appState({ name: 'shelf', groupId: GROUP.id }, { board: weekBoard() })],
  ['coping shelf (empty)', appState({ name: 'shelf', groupId: GROUP.id }, { board: weekBoard({ shelf: [] }) })],
  ['meeting mode (facilitator, sharing round)', appState({ name: 'meeting', groupId: GROUP.id }, { board: weekBoard({ meeting: agenda() }) })],
  ['meeting mode (opening, guidelines)', appState({ name: 'meeting', groupId: GROUP.id }, { board: weekBoard({ meeting: agenda({ step: 'opening', turn: undefined }), facilitator: false }) })],
  ['meeting mode (none under way)', appState({ name: 'meeting', groupId: GROUP.id }, { board: weekBoard({ facilitator: false }) })],
];

async function showApp(state: AppState, theme?: 'light' | 'dark', width?: string) {
  const el = document.createElement('hearth-app');
  el.state = state;
  if (theme) el.theme = theme;
  return mount(el, width);
}

/** Opens every <details>, so axe, the width check and the form checks see what is inside them too. */
async function openEveryDisclosure(el: HTMLElement): Promise<void> {
  for (const details of deepElements(el).filter((e): e is HTMLDetailsElement => e instanceof HTMLDetailsElement)) details.open = true;
  await settle(el);
}

describe('the week views in the app', () => {
  afterEach(cleanup);

  for (const [name, state] of VIEWS) {
    for (const theme of ['light', 'dark'] as const) {
      it(`renders the ${name} with no axe violations in the ${theme} palette at 320 px`, async () => {
        const el = await showApp(state, theme, '320px');
        await openEveryDisclosure(el);
        await expectNoAxeViolations(el, `${name} (${theme})`);
        const contrast = await contrastCoverage(el);
        assertEqual(contrast.failed, 0, 'contrast failures');
        assertEqual(contrast.undecided, 0, `text axe could not check for contrast: ${contrast.undecidedWhy.join('\n')}`);
        const container = el.parentElement!;
        container.style.overflowX = 'auto';
        assert(container.scrollWidth <= container.clientWidth, `${container.scrollWidth}px wide content in 320px`);
      });
    }
  }

  it("keeps everything typed in the week's views out of the browser's autofill storage", async () => {
    for (const [name, state] of VIEWS) {
      const el = await showApp(state);
      await openEveryDisclosure(el);
      const fields = deepElements(el).filter((e) => e.matches('input:not([type=radio]):not([readonly]), textarea, select'));
      for (const field of fields) {
        const form = (field as HTMLInputElement).form;
        assert(form, `${name}: a ${field.localName} outside a form`);
        assertEqual(form.autocomplete, 'off', `${name}: form autocomplete`);
      }
    }
  });

  it('reaches the shelf and meeting mode from the board’s menu', async () => {
    const el = await showApp(VIEWS[0]![1]);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Coping shelf').click();
    getByRole(el, 'button', 'Meeting mode').click();
    assertDeepEqual(intents, [
      { type: 'navigate', route: { name: 'shelf', groupId: GROUP.id } },
      { type: 'navigate', route: { name: 'meeting', groupId: GROUP.id } },
    ]);
  });
});

describe('<hearth-checkin>', () => {
  afterEach(cleanup);

  async function checkin() {
    const el = document.createElement('hearth-checkin');
    Object.assign(el, { week: weekScreen(), members: members(member(ANA, 'Ana'), member(BEN, 'Ben')), viewerId: ANA });
    return mount(el);
  }

  it('keeps a check-in private unless the person chooses to share it', async () => {
    const el = await checkin();
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Check in: how are you today?').click();
    const save = getByRole(el, 'button', 'Save check-in') as HTMLButtonElement;
    assert(save.disabled, 'no mood chosen yet');
    getByRole(el, 'radio', 'Hard').click();
    type(getByRole(el, 'textbox', 'A line about it (optional)'), '  A long day.  ');
    await settle(el);
    save.click();
    getByRole(el, 'radio', 'Very good').click();
    getByRole(el, 'radio', 'Share with the group').click();
    await settle(el);
    save.click();
    assertDeepEqual(intents, [
      { type: 'check-in', mood: 2, share: false, note: 'A long day.' },
      { type: 'check-in', mood: 5, share: true },
    ]);
  });

  it("lists today's shared check-ins in words, with names", async () => {
    const el = await checkin();
    const list = getByRole(el, 'list', 'Today in the group');
    assertEqual(Array.from(list.querySelectorAll('li'), (li) => li.textContent!.replace(/\s+/g, ' ').trim()).join(' | '), 'Ben: Good (4 of 5) — Slept properly for once. | A member: Hard (2 of 5)');
  });

  it('gives the 30-day chart a text alternative and hides the drawing', async () => {
    const el = await checkin();
    getByRole(el, 'button', 'Your last 30 days').click();
    const chart = el.shadowRoot!.querySelector('hearth-mood-chart')!;
    assertEqual(chart.shadowRoot!.querySelector('svg')!.getAttribute('aria-hidden'), 'true');
    assertEqual(chart.shadowRoot!.querySelectorAll('rect').length, 2);
    chart.shadowRoot!.querySelector('summary')!.click();
    const words = getByRole(chart, 'list', 'Your check-ins, last 30 days');
    assertDeepEqual(Array.from(words.querySelectorAll('li'), (li) => li.textContent!.trim()), ['Mar 1: Hard (2 of 5)', 'Mar 3: Good (4 of 5)']);
    await expectNoAxeViolations(el, 'the check-in');
  });
});

describe('<hearth-recovery-days>', () => {
  afterEach(cleanup);

  it('shows the total and the days since the latest start, and offers the milestone as a choice', async () => {
    const el = document.createElement('hearth-recovery-days');
    Object.assign(el, { recovery: weekScreen().recovery, today: '2025-03-04' });
    await mount(el);
    const intents = recordIntents(el);
    assert(deepText(el).includes('90 days'), 'total');
    assert(deepText(el).includes('30 days since your latest fresh start'), 'since start');
    getByRole(el, 'button', 'Keep it to myself').click();
    getByRole(el, 'button', 'Share as a victory').click();
    el.shadowRoot!.querySelector('summary')!.click();
    getByRole(el, 'button', 'Start again today').click();
    assertDeepEqual(intents, [{ type: 'dismiss-milestone', days: 90 }, { type: 'share-milestone', days: 90 }, { type: 'reset-recovery' }]);
    await expectNoAxeViolations(el, 'recovery days');
  });

  it('asks for a start date no later than today', async () => {
    const el = document.createElement('hearth-recovery-days');
    Object.assign(el, { recovery: undefined, today: '2025-03-04' });
    await mount(el);
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Count your days').click();
    const field = el.shadowRoot!.querySelector<HTMLInputElement>('input[type=date]')!;
    assertEqual(field.max, '2025-03-04');
    field.value = '2025-01-02';
    getByRole(el, 'button', 'Start counting').click();
    assertDeepEqual(intents, [{ type: 'set-recovery-start', day: '2025-01-02' }]);
  });
});

describe('<hearth-schedule>', () => {
  afterEach(cleanup);

  async function schedule(fields = {}) {
    const el = document.createElement('hearth-schedule');
    Object.assign(el, { week: weekScreen(fields) });
    return mount(el);
  }

  it('shows the next meeting with a countdown and its place', async () => {
    const el = await schedule();
    assert(deepText(el).includes('Tuesdays at 19:30 (Europe/London)'), 'slot');
    assertEqual(getByRole(el, 'timer').textContent!.trim(), 'in 1 day, 2 hours');
    assert(deepText(el).includes('St Mary’s hall, side door'), 'place');
  });

  it('downloads an .ics file titled "Hearth meeting" that ical.js reads, without the group’s name', async () => {
    const el = await schedule();
    const clicked: HTMLAnchorElement[] = [];
    const original = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      clicked.push(this);
    };
    try {
      el.shadowRoot!.querySelector('summary')!.click();
      getByRole(el, 'button', 'Download calendar file').click();
    } finally {
      HTMLAnchorElement.prototype.click = original;
    }
    assertEqual(clicked.length, 1);
    assertEqual(clicked[0]!.download, 'meeting.ics');
    const text = await (await fetch(clicked[0]!.href)).text();
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    assertEqual(event.summary, 'Hearth meeting');
    assert(!text.includes(GROUP.name) && !text.includes('Tea from'), 'no group name or note');
  });

  it('lets a facilitator add and remove weekly meetings; a member sees no such controls', async () => {
    const el = await schedule();
    const intents = recordIntents(el);
    getByRole(el, 'button', /Remove the Tuesday 19:30 meeting/).click();
    getByRole(el, 'button', 'Add a weekly meeting').click();
    const zone = getByRole(el, 'textbox', 'Time zone') as HTMLInputElement;
    zone.value = 'America/New_York';
    (getByRole(el, 'combobox', 'Day') as HTMLSelectElement).value = '5';
    getByRole(el, 'button', 'Add meeting').click();
    assertDeepEqual(intents, [
      { type: 'remove-meeting-slot', slotId: `${ANA}/slot1` },
      { type: 'set-meeting-slot', slot: { weekday: 5, time: '19:00', timeZone: 'America/New_York', place: 'online' } },
    ]);
    const member = await schedule({ facilitator: false });
    assertEqual(queryAllByRole(member, 'button', 'Add meeting').length, 0);
    await expectNoAxeViolations(el, 'the schedule');
  });
});

describe('<hearth-meeting-mode>', () => {
  afterEach(cleanup);

  async function meeting(week = {}, viewerId = ANA) {
    const el = document.createElement('hearth-meeting-mode');
    el.board = weekBoard(week, {
      viewerId,
      presence: [
        { authorId: BEN, displayName: 'Ben', since: T0 },
        { authorId: CAL, displayName: 'Cal', since: T0 },
      ],
    });
    return mount(el);
  }

  it('shows the agenda with the current step, who is here and whose turn it is', async () => {
    const el = await meeting({ meeting: agenda() });
    assertEqual(getByRole(el, 'list', 'Agenda').querySelector('[aria-current=step]')!.textContent!.trim(), 'Sharing round');
    assertDeepEqual(Array.from(getByRole(el, 'list', 'Here now').querySelectorAll('li'), (li) => li.textContent!.trim()), ['You', 'Ben', 'Cal']);
    assertEqual(getByRole(el, 'status').textContent!.trim(), "Ben's turn");
    assert(deepText(el).includes('Share timer'), 'timer shown');
  });

  it('lets the member whose turn it is pass it to the next person here', async () => {
    const el = await meeting({ meeting: agenda(), facilitator: false }, BEN);
    const intents = recordIntents(el);
    assertEqual(getByRole(el, 'status').textContent!.trim(), 'Your turn');
    getByRole(el, 'button', 'Pass to Cal').click();
    assertDeepEqual(intents, [{ type: 'pass-turn', to: CAL }]);
    assertEqual(queryAllByRole(el, 'button', 'End the meeting').length, 0);
  });

  it('lets a facilitator move on, hand the turn on and end the meeting', async () => {
    const el = await meeting({ meeting: agenda({ step: 'check-in-round', turn: BEN }) });
    const intents = recordIntents(el);
    getByRole(el, 'button', 'Move on to sharing round').click();
    getByRole(el, 'button', 'Next person').click();
    getByRole(el, 'button', 'End the meeting').click();
    assertDeepEqual(intents, [
      { type: 'set-agenda', step: 'sharing-round', timerSeconds: 180, turn: ANA },
      { type: 'set-agenda', step: 'check-in-round', timerSeconds: 180, turn: CAL },
      { type: 'set-agenda', step: 'ended', timerSeconds: 0 },
    ]);
  });

  it('reads the guidelines aloud at the opening, and lets a facilitator start a meeting', async () => {
    const opening = await meeting({ meeting: agenda({ step: 'opening', turn: undefined }) });
    assert(deepText(opening).includes(GROUP.guidelines), 'guidelines shown');
    const none = await meeting({});
    const intents = recordIntents(none);
    getByRole(none, 'button', 'Start the meeting').click();
    assertDeepEqual(intents, [{ type: 'set-agenda', step: 'opening', timerSeconds: 0, newMeeting: true }]);
  });
});

describe('<hearth-shelf>', () => {
  afterEach(cleanup);

  it('lists techniques most helpful first, marks "this helped me too" and adds one', async () => {
    const el = document.createElement('hearth-shelf');
    el.board = weekBoard();
    await mount(el);
    const intents = recordIntents(el);
    const list = getByRole(el, 'list', 'Techniques, most helpful first');
    assertDeepEqual(Array.from(list.querySelectorAll('h2'), (h) => h.textContent!.trim()), ['Box breathing', 'Call before the hard hour']);
    const mark = getByRole(el, 'button', 'This helped me too: Box breathing');
    assertEqual(mark.getAttribute('aria-pressed'), 'true');
    assertEqual(queryAllByRole(el, 'button', /This helped me too: Call before/).length, 0, 'no mark on my own technique');
    mark.click();
    type(getByRole(el, 'textbox', 'Title'), 'Walk round the block');
    type(getByRole(el, 'textbox', 'A few lines about it'), 'Ten minutes outside changes the day.');
    (getByRole(el, 'combobox', 'Helps with') as HTMLSelectElement).value = 'craving';
    getByRole(el, 'button', 'Add to the shelf').click();
    assertDeepEqual(intents, [
      { type: 'mark-helped', techniqueId: `${BEN}/Boxbreathing` },
      { type: 'add-technique', title: 'Walk round the block', body: 'Ten minutes outside changes the day.', category: 'craving' },
    ]);
  });
});
