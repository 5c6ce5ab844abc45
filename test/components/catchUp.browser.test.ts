import '../../components/board/hearth-board.js';
import type { BoardScreen } from '../../src/app/state.js';
import { assert } from '../assert.js';
import { expectNoAxeViolations } from './axe.js';
import { cleanup, mount } from './dom.js';
import { boardScreen } from './fixtures.js';
import { deepElements, queryAllByRole } from './queries.js';

async function showBoard(board: BoardScreen) {
  const el = document.createElement('hearth-board');
  el.board = board;
  return mount(el);
}

const catchingUpStatus = (el: HTMLElement) => queryAllByRole(el, 'status').find((s) => s.textContent!.includes('Catching up with the group: the newest posts show first'));

describe('<hearth-board> while a newcomer catches up', () => {
  afterEach(cleanup);

  it('shows the posts of the catch-up page under a status saying the board is catching up', async () => {
    const el = await showBoard({ ...boardScreen(), catchingUp: { shown: 4 } });
    assert(catchingUpStatus(el) !== undefined, 'a status a screen reader announces');
    assert(deepElements(el).some((node) => node.localName === 'hearth-post'), 'the posts show meanwhile');
    await expectNoAxeViolations(el, 'a board catching up with posts');
  });

  it('drops the status once the chains are complete', async () => {
    const el = await showBoard({ ...boardScreen(), catchingUp: { shown: 4 } });
    el.board = boardScreen();
    await el.updateComplete;
    assert(catchingUpStatus(el) === undefined, 'no catching-up status');
  });
});
