import type { GroupFocus, MemberRecord, Milestone, PostKind, PostView, Reaction } from '../model/index.js';

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

export interface BoardScreen {
  group: GroupSummary & { guidelines?: string };
  viewerId: string;
  posts: PostView[];
  members: Map<string, MemberRecord>;
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
  /** Set while the board shows its recent page (src/app/recentPage.ts): the rest is still loading. */
  loading?: { shown: number; total: number };
}

export type Route =
  | { name: 'welcome' }
  | { name: 'groups' }
  | { name: 'create-group' }
  | { name: 'board'; groupId: string }
  | { name: 'invite'; groupId: string }
  | { name: 'join'; groupName: string }
  | { name: 'bad-invite'; message: string }
  | { name: 'settings' };

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
  /** A plain-words message about something that went wrong, shown until dismissed. */
  notice?: { kind: 'error' | 'info'; message: string };
  /** A new version of the app is ready to load. */
  updateAvailable: boolean;
  /** The lock and privacy choices, once storage is open. */
  privacy?: PrivacyView;
  /** Only while locked. */
  unlock?: UnlockView;
}

/** Everything a person can ask for; components dispatch these as `hearth-intent` events. */
export type Intent =
  /** With `passphrase`, the app lock is turned on before anything is saved. */
  | { type: 'choose-name'; displayName: string; passphrase?: string }
  | { type: 'navigate'; route: Route }
  | { type: 'create-group'; name: string; focus?: GroupFocus; guidelines?: string }
  | { type: 'accept-invite'; displayName?: string }
  /** An invite pasted into the app: unlike an opened link, it never enters the browser's history. */
  | { type: 'open-invite'; link: string }
  | { type: 'leave-group'; groupId: string }
  | { type: 'post'; kind: PostKind; body: string; contentWarning?: string; milestone?: Milestone }
  | { type: 'reply'; postId: string; body: string }
  | { type: 'react'; postId: string; reaction: Reaction }
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
  | { type: 'wipe' };

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
