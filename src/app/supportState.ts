import type { MilestoneUnit, PostKind } from '../model/schema.js';
import type { AnswerKind } from '../model/supportSignal.js';

/** What "Support now", drafts and the join agreement show: slices of AppState (see state.ts). */

/** A line the group added: the built-in ones live with the view, which members cannot change. */
export interface GroupCrisisLine {
  id: string;
  name: string;
  phone: string;
  note?: string;
}

/** Someone this person can call, kept sealed on this device only (settings key `supportContacts`). */
export interface PersonalContact {
  name: string;
  phone: string;
}

export const CONTACT_LIMITS = { name: 60, phone: 32, count: 20 } as const;

export interface IncomingAlert {
  authorId: string;
  name: string;
  alertId: string;
  sentAt: number;
  note?: string;
  /** What this device already answered (besides the automatic "received"). */
  answered: AnswerKind[];
}

export interface AlertAnswerView {
  name: string;
  kind: Exclude<AnswerKind, 'seen'>;
  body?: string;
  sentAt: number;
}

export interface SupportScreen {
  groupLines: GroupCrisisLine[];
  /** This device may add and remove the group's lines. */
  canEditLines: boolean;
  contacts: PersonalContact[];
  /** My "I'm struggling" while it is out: who received it, and their answers. */
  mine?: { sentAt: number; note?: string; receivedBy: string[]; answers: AlertAnswerView[] };
  /** Alerts from members whose app is open now. */
  incoming: IncomingAlert[];
}

/** A half-written post, kept sealed per group until it is posted or discarded. */
export interface Draft {
  kind: PostKind;
  body: string;
  contentWarning?: string;
  milestoneValue?: string;
  milestoneUnit?: MilestoneUnit;
}

/** What a joiner agrees to before joining: today only the name rides in the invite. */
export interface JoinAgreement {
  groupName: string;
  focus?: import('../model/schema.js').GroupFocus;
  guidelines?: string;
}
