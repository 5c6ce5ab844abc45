import type { AppState, BoardScreen, Route } from '../../src/app/state.js';
import type { MemberRecord, PostRecord, PostView, ReplyRecord } from '../../src/model/index.js';

/** Small readable board fixtures. Components never check signatures, so `sig` is a placeholder. */

export const ANA = 'A'.repeat(43);
export const BEN = 'B'.repeat(43);
export const CAL = 'C'.repeat(43);
const SIG = 's'.repeat(86);
export const T0 = Date.UTC(2025, 2, 4, 18, 30);

export function member(authorId: string, displayName: string): MemberRecord {
  return { v: 1, type: 'member', id: `${authorId}/profile`, authorId, createdAt: T0, displayName, boxPublicKey: 'k'.repeat(43), sig: SIG };
}

export function members(...list: MemberRecord[]): Map<string, MemberRecord> {
  return new Map(list.map((m) => [m.authorId, m]));
}

let counter = 0;
export function postView(fields: Partial<PostRecord> & { replies?: PostView['replies']; verified?: boolean } = {}): PostView {
  const { replies = [], verified = true, ...record } = fields;
  const authorId = record.authorId ?? ANA;
  return {
    record: {
      v: 1,
      type: 'post',
      id: `${authorId}/p${++counter}`,
      authorId,
      createdAt: T0 + counter * 60_000,
      kind: 'story',
      body: 'Made it through a hard Monday by calling my sponsor.',
      sig: SIG,
      ...record,
    },
    verified,
    replies,
    reactions: {
      'me-too': { count: 2, mine: false },
      'proud-of-you': { count: 1, mine: true },
      'sending-strength': { count: 0, mine: false },
    },
  };
}

export function reply(postId: string, authorId: string, body: string, verified = true): PostView['replies'][number] {
  const record: ReplyRecord = { v: 1, type: 'reply', id: `${authorId}/r${++counter}`, authorId, createdAt: T0 + counter * 60_000, postId, body, sig: SIG };
  return { record, verified };
}

export const GROUP = { id: 'g'.repeat(22), name: 'Tuesday evening circle', focus: 'substance-use' as const, guidelines: 'What is shared here stays here.' };

export function boardScreen(fields: Partial<BoardScreen> = {}): BoardScreen {
  const story = postView({ authorId: BEN, body: 'Day three without a drink. Hard, but I called Ana.' });
  const victory = postView({ authorId: ANA, kind: 'victory', body: 'Thirty days today!', milestone: { value: 30, unit: 'days' } });
  victory.replies.push(reply(victory.record.id, BEN, 'So proud of you!'));
  const warned = postView({ authorId: CAL, body: 'About the relapse last week.', contentWarning: 'relapse' });
  const unverified = postView({ authorId: CAL, kind: 'encouragement', body: 'You are not alone.', verified: false });
  return {
    group: GROUP,
    viewerId: ANA,
    posts: [unverified, warned, victory, story],
    members: members(member(ANA, 'Ana'), member(BEN, 'Ben')),
    facilitators: new Set([ANA]),
    pinsFull: false,
    unshared: new Set([victory.record.id]),
    sync: { state: 'up-to-date', peers: 2, rejected: 0 },
    diagnostics: { rejectedByCode: {}, waiting: 0, forked: [] },
    presence: [{ authorId: BEN, displayName: 'Ben', since: T0 }],
    filter: 'all',
    caughtUp: true,
    support: { groupLines: [], canEditLines: false, contacts: [], incoming: [] },
    membership: {
      managed: true,
      members: [
        { id: ANA, displayName: 'Ana', facilitator: true, here: true, you: true },
        { id: BEN, displayName: 'Ben', facilitator: false, here: true, you: false },
      ],
      viewerIsFacilitator: true,
      removed: false,
      loneFacilitator: true,
      autoAdmit: false,
      shareHistory: true,
      invites: [],
      atDoor: [],
    },
    ...fields,
  };
}

export function appState(route: Route, fields: Partial<AppState> = {}): AppState {
  return {
    status: 'ready',
    route,
    profile: { displayName: 'Ana', authorId: ANA },
    groups: [GROUP, { id: 'h'.repeat(22), name: 'Friday walkers' }],
    board: boardScreen(),
    invite: { groupName: GROUP.name, link: 'https://hearth.example/#invite=AxEiM0RVZneImaq7zN3u_wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAA' },
    updateAvailable: false,
    ...fields,
  };
}

/** Every view of <hearth-app>, with a name for test titles. */
export const ROUTES: [string, AppState][] = [
  ['welcome', appState({ name: 'welcome' }, { profile: undefined, groups: [] })],
  ['groups', appState({ name: 'groups' })],
  ['groups (none yet)', appState({ name: 'groups' }, { groups: [] })],
  ['create-group', appState({ name: 'create-group' })],
  ['board', appState({ name: 'board', groupId: GROUP.id })],
  ['board (offline, empty, rejected data)', appState({ name: 'board', groupId: GROUP.id }, { board: boardScreen({ posts: [], sync: { state: 'offline', peers: 0, rejected: 3 }, presence: [] }) })],
  [
    'board (a member is struggling, catching up)',
    appState(
      { name: 'board', groupId: GROUP.id },
      {
        board: boardScreen({
          posts: [],
          caughtUp: false,
          support: {
            groupLines: [],
            canEditLines: false,
            contacts: [],
            incoming: [{ authorId: BEN, name: 'Ben', alertId: 'a'.repeat(16), sentAt: T0, note: 'Hard night.', answered: [] }],
          },
        }),
      },
    ),
  ],
  ['invite', appState({ name: 'invite', groupId: GROUP.id })],
  ['join (new person)', appState({ name: 'join', groupName: GROUP.name }, { profile: undefined })],
  ['join', appState({ name: 'join', groupName: GROUP.name })],
  ['bad-invite', appState({ name: 'bad-invite', message: 'This invite link is incomplete: part of it was cut off while it was copied.' })],
  ['loading', appState({ name: 'groups' }, { status: 'loading' })],
  ['failed', appState({ name: 'groups' }, { status: 'failed', notice: { kind: 'error', message: 'The local database could not be opened.' } })],
  ['groups with notices and an update', appState({ name: 'groups' }, { notice: { kind: 'info', message: 'You left Friday walkers.' }, updateAvailable: true })],
];
