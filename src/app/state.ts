import type { GroupFocus, MemberRecord, Milestone, PostKind, PostView, Reaction } from '../model/index.js';
import type { WeekIntent, WeekScreen } from './weekState.js';
import type { Draft, PersonalContact, SupportScreen } from './supportState.js';

/**
 * What the UI renders. Components receive slices of this as properties and never reach
 * past it into sync or storage; the app controller (src/app/) owns and updates it.
 */

export type SyncState = 'offline' | 'connecting' | 'connected' | 'up-to-date';

export interface SyncView {
  state: SyncState;
  /** Other members' devices connected right now. */
  peers: number;
  /** Envelopes refused since the board opened (tampered, forged, unreadable). */
  rejected: number;
}

export interface PresentMemberView {
  authorId: string;
  displayName: string;
  /** ms since epoch: when they joined this meeting. */
  since: number;
}

export interface GroupSummary {
  /** base64url group id: stable key for routes and lists; never shown. */
  id: string;
  name: string;
  focus?: GroupFocus;
}

/** The group's membership as the member list and the facilitator's tools show it. */
export interface MembershipView {
  /** False for a group from before the membership log, until its creator opens it. */
  managed: boolean;
  members: { id: string; displayName: string; facilitator: boolean; here: boolean; you: boolean }[];
  viewerIsFacilitator: boolean;
  /** This device was removed from the group (or left it). */
  removed: boolean;
  /** The only facilitator of a group with other members: asked to appoint a second. */
  loneFacilitator: boolean;
  /** The group lets people in through short invites without a facilitator comparing the code. */
  autoAdmit: boolean;
  /** Newcomers receive the older epochs' secrets and read the board's history (the default); else only what is written after they join. */
  shareHistory: boolean;
  /** Invites this device made that can still admit someone. */
  invites: { inviteKey: string; expiresAt: number }[];
  /** People asking to join through those invites, with the code both screens show. */
  atDoor: { inviteKey: string; member: string; displayName: string; code: string; agreed: boolean }[];
}

export interface BoardScreen {
  group: GroupSummary & { guidelines?: string };
  viewerId: string;
  posts: PostView[];
  members: Map<string, MemberRecord>;
  /** Who may hide and pin posts (author ids). */
  facilitators: ReadonlySet<string>;
  /** As many posts are pinned as a board holds: pinning another is refused. */
  pinsFull: boolean;
  /** Ids of my posts written while no peer was reachable and not yet seen by anyone. */
  unshared: ReadonlySet<string>;
  sync: SyncView;
  /** What the device refused or is waiting for, for the connection details view. */
  diagnostics: {
    /** Envelopes refused since the board opened, by code (docs/PROTOCOL.md §4). */
    rejectedByCode: Partial<Record<string, number>>;
    /** Envelopes held until the ones before them arrive. */
    waiting: number;
    /** Display names of members whose device signed two versions of one change. */
    forked: string[];
  };
  presence: PresentMemberView[];
  filter: PostKind | 'all';
  /** Check-ins, recovery days, the schedule, the meeting under way and the coping shelf. */
  week?: WeekScreen;
  /** False for a newcomer until the group's details first arrive: "catching up", not "empty". */
  caughtUp: boolean;
  /** My half-written post for this group, as last saved. */
  draft?: Draft;
  /** "Support now": crisis lines, my people to call, alerts in and out. */
  support: SupportScreen;
  membership: MembershipView;
  /**
   * Set while a newcomer's board shows a member's page of the newest posts (src/app/catchUpView.ts),
   * each checked against its author's signature, until the chains are complete.
   */
  catchingUp?: { shown: number };
  /** Set while the board shows its recent page (src/app/recentPage.ts): the rest is still loading. */
  loading?: { shown: number; total: number };
}

export type Route =
  | { name: 'welcome' }
  | { name: 'groups' }
  | { name: 'create-group' }
  | { name: 'board'; groupId: string }
  | { name: 'shelf'; groupId: string }
  | { name: 'meeting'; groupId: string }
  | { name: 'invite'; groupId: string }
  | { name: 'join'; groupName: string }
  | { name: 'bad-invite'; message: string }
  | { name: 'settings' }
  | { name: 'venue'; groupId: string };

/** A meeting without internet: what the venue screen shows (components/venue/hearth-venue.ts). */
export interface VenueView {
  groupId: string;
  groupName: string;
  /** The code this device shows now: an offer to let someone in, or its answer to a code it scanned. */
  code?: { kind: 'offer' | 'answer'; qr: string; copy: string };
  /** Both phones show it once the last code was taken: the same digits mean the right phone. */
  shortCode?: string;
  /** Devices of the group linked at the venue now. */
  peers: { displayName: string; shortCode: string }[];
  busy: boolean;
  /** What went wrong with the last code, in plain words. */
  message?: string;
}

/** How long Hearth may stay hidden before it locks itself. */
export const AUTO_LOCK_DELAYS = [0, 60_000, 300_000] as const;
export type AutoLockDelay = (typeof AUTO_LOCK_DELAYS)[number];

/** The person's privacy choices on this device (sealed settings, and the unlock guard for wipeAfter). */
export interface PrivacyChoices {
  autoLockAfterMs: AutoLockDelay;
  /** Hide group focus labels ("Substance use") everywhere. */
  discreet: boolean;
  /** Appear in other members' "Here now". */
  showPresence: boolean;
  /** Wipe after this many wrong passphrases in a row; null: never (the default). */
  wipeAfter: number | null;
}

export interface PrivacyView extends PrivacyChoices {
  /** The app lock is on: storage opens only with the passphrase. */
  lock: boolean;
  /** A passphrase is being hashed and everything re-sealed. */
  busy: boolean;
}

/** What the lock screen may know: nothing about groups. */
export interface UnlockView {
  busy: boolean;
  /** ms since the epoch before which another try is refused (0: now). */
  retryAt: number;
}

export interface JoiningView {
  stage: 'asking' | 'offered' | 'agreed';
  /** The group's details, once a facilitator's device has sent them. */
  groupName?: string;
  focus?: string;
  guidelines?: string;
  /** The code both screens show; the joiner reads it to the facilitator. */
  code?: string;
  /** Asking at a meeting without internet, over a venue link instead of the signaling server. */
  venue?: VenueJoinView;
}

/** A newcomer's venue link while it is set up (components/venue/hearth-venue-join.ts). */
export interface VenueJoinView {
  /** The answer code to show back to the facilitator's phone, once their code was scanned. */
  code?: { qr: string; copy: string };
  /** Both phones show it once the facilitator's code was taken. */
  shortCode?: string;
  busy: boolean;
  /** What went wrong with the last code, in plain words. */
  message?: string;
}

export interface AppState {
  /** `locked`: the app lock holds storage closed; `wiped`: this device's data was deleted. */
  status: 'loading' | 'ready' | 'failed' | 'locked' | 'wiped';
  route: Route;
  /** Undefined until the person has chosen a display name on this device. */
  profile?: { displayName: string; authorId: string };
  groups: GroupSummary[];
  board?: BoardScreen;
  /** The invite link and its QR for the invite view. */
  invite?: { groupName: string; link: string };
  /** A joiner's side of the invite handshake, while it lasts. */
  joining?: JoiningView;
  /** A plain-words message about something that went wrong, shown until dismissed. */
  notice?: { kind: 'error' | 'info'; message: string };
  /** A new version of the app is ready to load. */
  updateAvailable: boolean;
  /** The lock and privacy choices, once storage is open. */
  privacy?: PrivacyView;
  /** Only while locked. */
  unlock?: UnlockView;
  /** While a meeting without internet is open for the board's group. */
  venue?: VenueView;
}

/** Everything a person can ask for; components dispatch these as `hearth-intent` events. */
export type Intent =
  /** With `passphrase`, the app lock is turned on before anything is saved. */
  | { type: 'choose-name'; displayName: string; passphrase?: string }
  | { type: 'navigate'; route: Route }
  | { type: 'create-group'; name: string; focus?: GroupFocus; guidelines?: string }
  /** `agreed`: the person agreed to the group's guidelines and confidentiality. */
  | { type: 'accept-invite'; displayName?: string }
  /** Ask to join over a venue link: scan the facilitator's code at a meeting without internet. */
  | { type: 'join-at-venue'; displayName?: string }
  /** An invite pasted into the app: unlike an opened link, it never enters the browser's history. */
  | { type: 'open-invite'; link: string }
  | { type: 'leave-group'; groupId: string }
  /** The joiner agrees to the group's details and guidelines the facilitator's device sent. */
  | { type: 'agree-invite'; agreed: boolean }
  | { type: 'admit-join'; member: string }
  | { type: 'decline-join'; member: string }
  | { type: 'revoke-invite'; inviteKey: string }
  | { type: 'remove-member'; member: string }
  | { type: 'appoint-facilitator'; member: string }
  | { type: 'set-auto-admit'; on: boolean }
  | { type: 'set-share-history'; on: boolean }
  | { type: 'edit-group'; name: string; focus?: GroupFocus; guidelines?: string }
  | { type: 'post'; kind: PostKind; body: string; contentWarning?: string; milestone?: Milestone }
  | { type: 'reply'; postId: string; body: string }
  | { type: 'react'; postId: string; reaction: Reaction }
  /** Facilitators only: hide a post for everyone but its author and the facilitators, or show it again. */
  | { type: 'hide-post'; postId: string; hidden: boolean }
  | { type: 'pin-post'; postId: string; pinned: boolean }
  /** Members delete what they wrote; the text leaves every device's disk at the checkpoint that follows. */
  | { type: 'delete-post'; postId: string }
  | { type: 'delete-reply'; replyId: string }
  | { type: 'filter'; filter: PostKind | 'all' }
  | { type: 'dismiss-notice' }
  | { type: 'apply-update' }
  | { type: 'unlock'; passphrase: string }
  | { type: 'lock' }
  | { type: 'quick-exit' }
  /** Turns the lock on, or changes its passphrase. */
  | { type: 'set-lock'; passphrase: string }
  | { type: 'remove-lock' }
  | { type: 'set-privacy'; choices: Partial<PrivacyChoices> }
  | { type: 'wipe' }
  | WeekIntent
  | { type: 'save-draft'; draft: Draft | null }
  | { type: 'support-alert'; note?: string }
  | { type: 'support-alert-end' }
  | { type: 'support-answer'; to: string; alertId: string; kind: 'reply' | 'calling'; body?: string }
  | { type: 'add-crisis-line'; name: string; phone: string; note?: string }
  | { type: 'remove-crisis-line'; id: string }
  | { type: 'set-contacts'; contacts: PersonalContact[] }
  /** Venue mode: show a code to let someone in; take a code scanned or pasted; end the venue links. */
  | { type: 'venue-show-code' }
  | { type: 'venue-take-code'; text: string; from: 'camera' | 'paste' }
  | { type: 'venue-end' };

export type IntentEvent = CustomEvent<Intent>;

declare global {
  interface HTMLElementEventMap {
    'hearth-intent': IntentEvent;
  }
}

/** Builds the one event every component uses to ask the app for something. */
export function intentEvent(intent: Intent): IntentEvent {
  return new CustomEvent('hearth-intent', { detail: intent, bubbles: true, composed: true });
}
