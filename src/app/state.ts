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
}

export type Route =
  | { name: 'welcome' }
  | { name: 'groups' }
  | { name: 'create-group' }
  | { name: 'board'; groupId: string }
  | { name: 'invite'; groupId: string }
  | { name: 'join'; groupName: string }
  | { name: 'bad-invite'; message: string };

export interface AppState {
  status: 'loading' | 'ready' | 'failed';
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
}

/** Everything a person can ask for; components dispatch these as `hearth-intent` events. */
export type Intent =
  | { type: 'choose-name'; displayName: string }
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
  | { type: 'apply-update' };

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
