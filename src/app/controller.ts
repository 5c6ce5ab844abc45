import { GROUP_SALT_BYTES, bytesEqual, createDeviceIdentity, createGroupSecret, deriveGroupId, fromBase64Url, randomBytes, toBase64Url } from '../../crypto/index.js';
import { LIMITS, authorIdOf, type GroupFocus, type PostKind } from '../model/index.js';
import {
  JOIN_REFUSAL_MESSAGES,
  ONE_TIME_INVITE_MESSAGES,
  ONE_TIME_INVITE_PREFIX,
  inviteKeys,
  parseOneTimeInvite,
  type OneTimeInvite,
  type Welcome,
} from '../sync/oneTimeInvite.js';
import { InviteGuest, type GuestStage } from './inviteHandshake.js';
import { LOCK_NOTICES, PRIVACY_KEYS, privacyFrom, unlockWait, withoutFocus } from './appLock.js';
import { legacyKey } from './carryV1Board.js';
import { draftKey, GroupRuntime, unsharedKey, type EditOutcome } from './groupRuntime.js';
import { CONTACTS_KEY, NOTICES_SUPPORT, readContacts } from './supportIntents.js';
import type { PersonalContact } from './supportState.js';
import { VenueFlow } from './venueFlow.js';
import { VenueJoin } from './venueJoin.js';
import type { AppDeps, DeviceRecord, GroupRecord, Result, StorePort } from './ports.js';
import { readRecentPage, recentPageKey, recentScreen } from './recentPage.js';
import { type AppState, type GroupSummary, type Intent, type PrivacyChoices, type Route } from './state.js';
import { WeekActions } from './week.js';
import { isWeekIntent } from './weekState.js';

/** The shortest passphrase (or PIN) the lock accepts; strength is shown, not forced. */
const LOCK_MIN_LENGTH = 6;

/** Settings key: the group that was open when the person last left, reopened at start. */
export const LAST_GROUP_KEY = 'lastGroupId';

/** Plain words for what can go wrong outside storage (the store brings its own words). */
export const NOTICES = {
  rejected:
    'Some changes from another device could not be read, so they were set aside. Everything on your board is safe.',
  forked: (name: string) =>
    `${name}'s device sent two different versions of one change. Hearth keeps the same one on every device; the other was set aside.`,
  unexpected: 'Something went wrong. Your board is safe; please try that again.',
  noName: 'Please choose a name first.',
  noInvite: 'That invite is no longer open here. Please open the invite link again.',
  noGroup: 'That group is not on this device any more.',
  tooLong: 'That is longer than Hearth can share. Please shorten it a little.',
  empty: 'There is nothing to share yet.',
} as const;

type Listener = (state: AppState) => void;

const summaryOf = (group: GroupRecord): GroupSummary => ({
  id: group.id,
  name: group.name,
  ...(group.focus ? { focus: group.focus } : {}),
});

/**
 * The app: owns AppState, turns intents into edits of the board, the store and the session,
 * and tells subscribers (the <hearth-app> element) about each new state. Every state is a new
 * object, so Lit sees the change. Intents run one at a time, in order.
 */
export class AppController {
  private state: AppState = { status: 'loading', route: { name: 'welcome' }, groups: [], updateAvailable: false };
  private readonly listeners = new Set<Listener>();
  private store: StorePort | undefined;
  private device: DeviceRecord | undefined;
  private groups: GroupRecord[] = [];
  private runtime: GroupRuntime | undefined;
  private pendingInvite: OneTimeInvite | undefined;
  private guest: InviteGuest | undefined;
  private filter: PostKind | 'all' = 'all';
  private queue: Promise<void> = Promise.resolve();
  private refreshScheduled = false;
  private readonly warned = new Set<string>();
  private readonly week = new WeekActions({
    store: () => this.store,
    runtime: () => this.runtime,
    now: () => this.now(),
    notice: (kind, message) => this.set({ notice: { kind, message } }),
  });
  private contacts: PersonalContact[] = [];
  private readonly venue = new VenueFlow({
    runtime: () => this.runtime,
    show: (venue) => this.set({ venue }),
    warn: (code) => void this.warnOnce('venue', code),
  });
  /** A newcomer asking at a meeting without internet. */
  private readonly venueJoin = new VenueJoin({
    show: (venue) => this.state.joining && this.set({ joining: { ...this.state.joining, venue } }),
    refused: (refusal) => void this.enqueue(() => this.onGuestStage(this.pendingInvite!, { stage: 'refused', refusal })),
    warn: (code) => void this.warnOnce('venue', code),
  });

  constructor(private readonly deps: AppDeps) {}

  get current(): AppState {
    return this.state;
  }

  /** Calls `listener` now and after every change; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => this.listeners.delete(listener);
  }

  /** Loads crypto and storage, then lands on the right first screen. */
  start(): Promise<void> {
    return this.enqueue(async () => {
      this.deps.onUpdateAvailable?.(() => this.set({ updateAvailable: true }));
      // An invite pasted into the address bar of an open tab: handled at once, and taken off the bar.
      this.deps.onHashChange?.(() => void this.enqueue(async () => void (this.state.status === 'ready' && (await this.takeInviteFromAddress()))));
      await this.deps.ready();
      const opened = await this.deps.openStore();
      if (!opened.ok && opened.error.code === 'locked') return this.enterLocked();
      if (!opened.ok) return this.failStart(opened.error);
      await this.openWith(opened.value);
    });
  }

  /** Everything after storage opened (at start, or after an unlock): identity, groups, first screen. */
  private async openWith(store: StorePort): Promise<void> {
    this.store = store;
    this.store.onError((error) => this.problem('store', error.code, error.message));
    const device = await this.store.loadDevice();
    if (!device.ok) return this.failStart(device.error);
    this.device = device.value;
    const groups = await this.store.listGroups();
    if (groups.ok) this.groups = groups.value;
    else this.reportStore(groups.error);
    await this.loadPrivacy();
    await this.week.load();
    this.contacts = await readContacts(store);
    this.set({
      status: 'ready',
      groups: this.summaries(),
      ...(this.device ? { profile: this.profile(this.device) } : {}),
    });
    if (await this.takeInviteFromAddress()) return;
    if (!this.device) return this.go({ name: 'welcome' });
    const last = await this.store.getSetting(LAST_GROUP_KEY);
    const lastGroup = last.ok ? this.groups.find((g) => g.id === last.value) : undefined;
    if (lastGroup) return this.openBoard(lastGroup);
    this.go({ name: 'groups' });
  }

  /** Handles one intent from the UI; resolves when its effects are done. */
  dispatch(intent: Intent): Promise<void> {
    // Quick exit cannot wait behind other work: the page goes at once, the lock follows.
    if (intent.type === 'quick-exit') {
      this.deps.leavePage();
      return this.enqueue(() => this.lock());
    }
    return this.enqueue(() => this.handle(intent));
  }

  /** True when the app lock is on (auto-lock and `pagehide` only lock then). */
  get lockEnabled(): boolean {
    return this.store?.passphraseProtected ?? this.state.status === 'locked';
  }

  /** Saves what is pending (the page is being hidden or closed). */
  async flush(): Promise<void> {
    await this.runtime?.flush();
  }

  async dispose(): Promise<void> {
    await this.enqueue(async () => {
      await this.closeRuntime();
      this.listeners.clear();
    });
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.queue.then(task).catch((error: unknown) => {
      // A bug, not bad input: say so plainly, keep the app usable, log no content.
      this.warnOnce('unexpected', error instanceof Error ? error.name : 'error');
      this.set({ notice: { kind: 'error', message: NOTICES.unexpected } });
    });
    this.queue = run;
    return run;
  }

  private async handle(intent: Intent): Promise<void> {
    if (isWeekIntent(intent)) {
      await this.week.handle(intent);
      return this.refreshBoard();
    }
    switch (intent.type) {
      case 'choose-name':
        return this.chooseName(intent.displayName, intent.passphrase);
      case 'navigate':
        return this.navigate(intent.route);
      case 'create-group':
        return this.createGroup(intent.name, intent.focus, intent.guidelines);
      case 'accept-invite':
        return this.acceptInvite(intent.displayName);
      case 'join-at-venue':
        return this.acceptInvite(intent.displayName, 'venue');
      case 'open-invite':
        return this.openInvite(intent.link);
      case 'leave-group':
        return this.leaveGroup(intent.groupId);
      case 'agree-invite':
        if (!intent.agreed) return this.set({ notice: { kind: 'error', message: NOTICES_SUPPORT.agree } });
        return this.guest?.agree();
      case 'admit-join':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.admit(intent.member)));
      case 'decline-join':
        return this.withRuntime(async (runtime) => (runtime.membership.decline(intent.member), { ok: true }));
      case 'revoke-invite':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.revoke(intent.inviteKey)));
      case 'remove-member':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.remove(intent.member)));
      case 'set-auto-admit':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.setAutoAdmit(intent.on)));
      case 'set-share-history':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.setShareHistory(intent.on)));
      case 'appoint-facilitator':
        return this.withRuntime(async (runtime) => withMessage(await runtime.membership.appoint(intent.member)));
      case 'edit-group': {
        const name = intent.name.trim();
        if (!this.checkText(name, LIMITS.groupName)) return;
        if (intent.guidelines && intent.guidelines.length > LIMITS.guidelines) return this.set({ notice: { kind: 'error', message: NOTICES.tooLong } });
        return this.withRuntime((runtime) =>
          runtime.editGroup({ name, ...(intent.focus ? { focus: intent.focus } : {}), ...(intent.guidelines?.trim() ? { guidelines: intent.guidelines.trim() } : {}) }),
        );
      }
      case 'post': {
        const body = intent.body.trim();
        const warning = intent.contentWarning?.trim();
        if (!this.checkText(body, LIMITS.body) || (warning && !this.checkText(warning, LIMITS.contentWarning))) return;
        return this.withRuntime((runtime) =>
          runtime.post({
            kind: intent.kind,
            body,
            ...(warning ? { contentWarning: warning } : {}),
            ...(intent.milestone ? { milestone: intent.milestone } : {}),
          }),
        );
      }
      case 'reply': {
        const body = intent.body.trim();
        if (!this.checkText(body, LIMITS.body)) return;
        return this.withRuntime((runtime) => runtime.reply(intent.postId, body));
      }
      case 'react':
        return this.withRuntime((runtime) => runtime.react(intent.postId, intent.reaction));
      case 'hide-post':
        return this.withRuntime((runtime) => runtime.hide(intent.postId, intent.hidden));
      case 'pin-post':
        return this.withRuntime((runtime) => runtime.pin(intent.postId, intent.pinned));
      case 'delete-post':
        return this.withRuntime((runtime) => runtime.deletePost(intent.postId));
      case 'delete-reply':
        return this.withRuntime((runtime) => runtime.deleteReply(intent.replyId));
      case 'filter':
        this.filter = intent.filter;
        return this.refreshBoard();
      case 'dismiss-notice':
        return this.set({ notice: undefined });
      case 'apply-update':
        this.deps.applyUpdate?.();
        return;
      case 'unlock':
        return this.unlock(intent.passphrase);
      case 'lock':
      case 'quick-exit':
        return this.lock();
      case 'set-lock':
        return void (await this.setPassphrase(intent.passphrase));
      case 'remove-lock':
        return void (await this.setPassphrase(null));
      case 'set-privacy':
        return this.setPrivacy(intent.choices);
      case 'wipe':
        return this.wipe();
      case 'save-draft':
        await this.runtime?.saveDraft(intent.draft);
        return this.refreshBoard();
      case 'support-alert':
        this.runtime?.support.raise(intent.note);
        return this.refreshBoard();
      case 'support-alert-end':
        this.runtime?.support.withdraw();
        return this.refreshBoard();
      case 'support-answer':
        this.runtime?.support.answer(intent.to, intent.alertId, intent.kind, intent.body);
        return this.refreshBoard();
      case 'add-crisis-line':
        return this.withRuntime((runtime) => runtime.addCrisisLine(intent));
      case 'remove-crisis-line':
        return this.withRuntime((runtime) => runtime.removeCrisisLine(intent.id));
      case 'set-contacts': {
        const saved = await this.requireStore().setSetting(CONTACTS_KEY, intent.contacts);
        if (!this.ok(saved)) return;
        this.contacts = intent.contacts;
        return this.refreshBoard();
      }
      case 'venue-show-code':
        return this.venue.showCode();
      case 'venue-take-code':
        return this.venueJoin.active ? this.venueJoin.takeCode(intent.text, intent.from) : this.venue.takeCode(intent.text, intent.from);
      case 'venue-end':
        this.venue.end();
        return this.runtime ? this.go({ name: 'board', groupId: this.runtime.record.id }) : undefined;
    }
  }

  private async chooseName(input: string, passphrase?: string): Promise<void> {
    const displayName = input.trim();
    if (!this.checkText(displayName, LIMITS.displayName, NOTICES.noName)) return;
    // The lock goes on before the identity is first saved, so no key is ever sealed the weak way.
    if (passphrase && !this.device && !(await this.setPassphrase(passphrase))) return;
    if (!(await this.ensureDevice(displayName))) return;
    if (this.device!.displayName !== displayName) {
      const saved = await this.requireStore().saveDevice({ ...this.device!, displayName });
      if (!this.ok(saved)) return;
      this.device = { ...this.device!, displayName };
      await this.runtime?.introduce(displayName);
    }
    this.set({ profile: this.profile(this.device!) });
    if (this.pendingInvite) return this.go({ name: 'join', groupName: '' });
    if (this.state.route.name === 'welcome') this.go({ name: 'groups' });
  }

  private async navigate(route: Route): Promise<void> {
    // Leaving the join screen: a newcomer's venue link goes with it.
    if (route.name !== 'join') this.venueJoin.end();
    if (route.name === 'board' || route.name === 'shelf' || route.name === 'meeting') {
      const group = this.groups.find((g) => g.id === route.groupId);
      if (!group) return this.set({ notice: { kind: 'error', message: NOTICES.noGroup } });
      await this.openBoard(group, undefined, { show: route.name === 'board' });
      return route.name === 'board' ? undefined : this.go(route);
    }
    if (route.name === 'invite') {
      const group = this.groups.find((g) => g.id === route.groupId);
      if (!group) return this.set({ notice: { kind: 'error', message: NOTICES.noGroup } });
      if (this.runtime?.record.id !== group.id) await this.openBoard(group, undefined, { show: false });
      const runtime = this.runtime!;
      const made = await runtime.membership.createInvite(this.deps.location.origin + this.deps.location.pathname);
      if (!made.ok) return this.set({ notice: { kind: 'error', message: made.message } });
      this.set({ route, invite: { groupName: runtime.screen('all').group.name, link: made.link } });
      return;
    }
    if (route.name === 'venue') {
      const group = this.groups.find((g) => g.id === route.groupId);
      if (!group) return this.set({ notice: { kind: 'error', message: NOTICES.noGroup } });
      await this.openBoard(group, undefined, { show: false });
      if (!this.venue.open()) return;
    }
    if (route.name === 'groups') void this.store?.setSetting(LAST_GROUP_KEY, '');
    this.go(route);
  }

  private async createGroup(input: string, focus?: GroupFocus, guidelines?: string): Promise<void> {
    const name = input.trim();
    if (!this.device) return this.set({ notice: { kind: 'error', message: NOTICES.noName } });
    if (!this.checkText(name, LIMITS.groupName)) return;
    if (guidelines && guidelines.length > LIMITS.guidelines) return this.set({ notice: { kind: 'error', message: NOTICES.tooLong } });
    // The group's id is derived from its creator's key, so an invite proves who created it.
    const salt = randomBytes(GROUP_SALT_BYTES);
    const groupId = deriveGroupId(this.device.identity.signPublicKey, salt);
    const record: GroupRecord = {
      id: toBase64Url(groupId),
      groupId,
      creatorId: authorIdOf(this.device.identity),
      salt,
      logVersion: 2,
      name,
      ...(focus ? { focus } : {}),
      ...(guidelines?.trim() ? { guidelines: guidelines.trim() } : {}),
      epochs: [{ epoch: 0, secret: createGroupSecret() }],
      joinedAt: this.now(),
      counter: 0,
    };
    if (!(await this.addGroup(record))) return;
    await this.openBoard(record, {
      name,
      ...(record.focus ? { focus: record.focus } : {}),
      ...(record.guidelines ? { guidelines: record.guidelines } : {}),
    });
  }

  /**
   * Starts the joiner's side of the handshake: asks a facilitator's device, in the invite's
   * rendezvous room, or at a meeting without internet over the venue link the joiner scans.
   */
  private async acceptInvite(displayName?: string, over: 'room' | 'venue' = 'room'): Promise<void> {
    const invite = this.pendingInvite;
    if (!invite) return this.set({ notice: { kind: 'error', message: NOTICES.noInvite } });
    if (!this.device) {
      const name = displayName?.trim() ?? '';
      if (!this.checkText(name, LIMITS.displayName, NOTICES.noName)) return;
      if (!(await this.ensureDevice(name))) return;
      this.set({ profile: this.profile(this.device!) });
    }
    const keys = inviteKeys(invite.seed);
    const rendezvous =
      over === 'venue'
        ? this.deps.createInviteVenue && this.venueJoin.start(this.deps.createInviteVenue(invite, this.device!.identity), keys.inviteKey)
        : this.deps.createRendezvous?.(keys.rendezvousRoom, keys.rendezvousPassword);
    if (!rendezvous) return this.set({ notice: { kind: 'error', message: NOTICES.noInvite } });
    this.guest?.destroy();
    this.set({ joining: { stage: 'asking', ...(over === 'venue' ? { venue: { busy: false } } : {}) } });
    this.guest = new InviteGuest(
      rendezvous,
      invite,
      this.device!.identity,
      this.device!.displayName,
      this.now(),
      (stage) => void this.enqueue(() => this.onGuestStage(invite, stage)),
    );
  }

  private async onGuestStage(invite: OneTimeInvite, stage: GuestStage): Promise<void> {
    if (stage.stage === 'offered' || stage.stage === 'agreed') {
      const { name, focus, guidelines } = stage.offer;
      return this.set({ joining: { stage: stage.stage, groupName: name, code: stage.code, ...(focus ? { focus } : {}), ...(guidelines ? { guidelines } : {}) } });
    }
    this.guest?.destroy();
    this.guest = undefined;
    this.pendingInvite = undefined;
    this.set({ joining: undefined });
    // Welcomed over a venue link: that link carries the group from now on.
    const joinedOver = stage.stage === 'welcomed' ? this.venueJoin.handOver() : undefined;
    this.venueJoin.end();
    if (stage.stage === 'refused') {
      this.warnOnce('invite', stage.refusal);
      return this.go({ name: 'bad-invite', message: JOIN_REFUSAL_MESSAGES[stage.refusal] ?? JOIN_REFUSAL_MESSAGES.malformed });
    }
    if (stage.stage !== 'welcomed') return;
    const record = groupFromWelcome(invite, stage.welcome, this.now());
    if (!record) {
      joinedOver?.close();
      return this.go({ name: 'bad-invite', message: JOIN_REFUSAL_MESSAGES['wrong-group'] });
    }
    if (!this.groups.some((g) => g.id === record.id) && !(await this.addGroup(record))) return joinedOver?.close();
    await this.openBoard(this.groups.find((g) => g.id === record.id)!);
    if (joinedOver && !this.venue.open(joinedOver)) joinedOver.close();
  }

  /** Writes a `leave` from the group (opened for it, so the others hear and rotate), then deletes it from this device. */
  private async leaveGroup(groupId: string): Promise<void> {
    const store = this.requireStore();
    const group = this.groups.find((g) => g.id === groupId);
    if (group && this.device && this.runtime?.record.id !== groupId) await this.openBoard(group, undefined, { show: false });
    if (this.runtime?.record.id === groupId) {
      await this.runtime.leave();
      await this.closeRuntime({ discard: true });
    }
    const deleted = await store.deleteGroup(groupId);
    if (!this.ok(deleted)) return;
    void store.setSetting(unsharedKey(groupId), []);
    void store.setSetting(draftKey(groupId), null);
    void store.setSetting(recentPageKey(groupId), null);
    void store.forgetFirstPage();
    void store.setSetting(legacyKey(groupId), []);
    void store.setSetting(LAST_GROUP_KEY, '');
    this.groups = this.groups.filter((g) => g.id !== groupId);
    this.set({ groups: this.summaries(), board: undefined, invite: undefined });
    this.go({ name: 'groups' });
  }

  /** Reads `#invite=` (or an old `#join=`) from the address once; true when it decided the first screen. */
  private async takeInviteFromAddress(): Promise<boolean> {
    const hash = this.deps.location.hash;
    if (!hash.startsWith(ONE_TIME_INVITE_PREFIX) && !hash.startsWith('#join=')) return false;
    // Off the address bar at once (the browser's history keeps what it saw; a used link admits no one).
    this.deps.clearFragment();
    await this.openInvite(hash);
    return true;
  }

  /** Shows the join screen for an invite (or its board, when the group is held already). */
  private async openInvite(link: string): Promise<void> {
    const parsed = parseOneTimeInvite(link);
    if (!parsed.ok) {
      this.warnOnce('invite', parsed.error);
      return this.go({ name: 'bad-invite', message: ONE_TIME_INVITE_MESSAGES[parsed.error] });
    }
    const held = this.groups.find((g) => g.id === toBase64Url(parsed.invite.groupId));
    if (held && this.device) return this.openBoard(held);
    this.pendingInvite = parsed.invite;
    this.go({ name: 'join', groupName: '' });
  }

  /** Makes `group` the one open group and shows its board. */
  private async openBoard(
    group: GroupRecord,
    creator?: { name: string; focus?: GroupFocus; guidelines?: string },
    { show = true } = {},
  ): Promise<void> {
    const store = this.requireStore();
    if (!this.device) return this.set({ notice: { kind: 'error', message: NOTICES.noName } });
    if (this.runtime?.record.id !== group.id) {
      await this.closeRuntime();
      this.filter = 'all';
      if (show) await this.showRecentPage(group, store);
      this.runtime = await GroupRuntime.open({
        record: group,
        device: { ...this.device },
        store,
        deps: this.deps,
        creator,
        events: {
          changed: () => this.scheduleRefresh(),
          problem: (kind, code, message) => this.problem(kind, code, message),
        },
      });
    }
    this.runtime.setPresenceVisible(this.state.privacy?.showPresence ?? true);
    this.runtime.support.setAcknowledge(this.state.privacy?.showPresence ?? true);
    void store.setSetting(LAST_GROUP_KEY, group.id);
    this.refreshBoard();
    if (show) this.go({ name: 'board', groupId: group.id });
  }

  /** Shows the group's recent page, if it has one, while the whole board loads. */
  private async showRecentPage(group: GroupRecord, store: StorePort): Promise<void> {
    const stored = await store.getSetting(recentPageKey(group.id));
    const recent = stored.ok ? readRecentPage(stored.value) : undefined;
    if (!recent || recent.posts.length === 0) return;
    const screen = recentScreen(group, authorIdOf(this.device!.identity), recent);
    const discreet = this.state.privacy?.discreet ?? false;
    this.set({ board: discreet ? { ...screen, group: withoutFocus(screen.group) } : screen });
    this.go({ name: 'board', groupId: group.id });
  }

  private async closeRuntime(options?: { discard: boolean }): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    this.venue.end();
    this.runtime = undefined;
    await runtime.close(options);
    this.set({ board: undefined });
  }

  private scheduleRefresh(): void {
    if (this.refreshScheduled) return;
    this.refreshScheduled = true;
    // A refresh that ran in between (after my own edit, say) already showed the change.
    this.deps.schedule(() => this.refreshScheduled && this.refreshBoard());
  }

  private refreshBoard(): void {
    this.refreshScheduled = false;
    this.venue.refreshPeers();
    const screen = this.runtime?.screen(this.filter);
    // While a group opens, its recent page stays on screen until the whole board is there.
    if (!screen) return this.state.board?.loading ? undefined : this.set({ board: undefined });
    const discreet = this.state.privacy?.discreet ?? false;
    this.set({
      board: {
        ...screen,
        week: this.week.screen(this.runtime!),
        group: discreet ? withoutFocus(screen.group) : screen.group,
        // "Here now" is other devices: never this one.
        presence: screen.presence.filter((member) => member.authorId !== screen.viewerId),
        support: { ...screen.support, contacts: this.contacts },
      },
    });
  }

  private summaries(): GroupSummary[] {
    const discreet = this.state.privacy?.discreet ?? false;
    return this.groups.map((group) => (discreet ? withoutFocus(summaryOf(group)) : summaryOf(group)));
  }

  /** A change of mine: the board shows it once the log has saved it (the runtime says so). */
  private async withRuntime(edit: (runtime: GroupRuntime) => Promise<EditOutcome>): Promise<void> {
    if (!this.runtime) return this.set({ notice: { kind: 'error', message: NOTICES.noGroup } });
    const outcome = await edit(this.runtime);
    if (!outcome.ok) this.set({ notice: { kind: 'error', message: outcome.message } });
    this.refreshBoard();
  }

  private async ensureDevice(displayName: string): Promise<boolean> {
    if (this.device) return true;
    const device: DeviceRecord = { identity: createDeviceIdentity(), displayName, createdAt: this.now() };
    const saved = await this.requireStore().saveDevice(device);
    if (!this.ok(saved)) return false;
    this.device = device;
    return true;
  }

  private async addGroup(record: GroupRecord): Promise<boolean> {
    const saved = await this.requireStore().saveGroup(record);
    if (!this.ok(saved)) return false;
    this.groups = [...this.groups, record];
    this.set({ groups: this.summaries() });
    return true;
  }

  // ---- App lock, quick exit, wipe (see appLock.ts) ----

  private async loadPrivacy(): Promise<void> {
    const store = this.requireStore();
    const values = await Promise.all(PRIVACY_KEYS.map((key) => store.getSetting(key)));
    const guard = store.passphraseProtected ? await this.deps.readUnlockGuard() : undefined;
    const stored = Object.fromEntries(PRIVACY_KEYS.map((key, i) => [key, values[i]!.ok ? values[i]!.value : undefined]));
    this.set({ privacy: privacyFrom(stored, store.passphraseProtected, guard?.ok ? guard.value.wipeAfter : null) });
  }

  /** Drops everything readable: the board's docs, the keys in memory, the store; shows the lock screen. */
  private async lock(): Promise<void> {
    const store = this.store;
    if (!store?.passphraseProtected) return;
    await this.closeRuntime();
    this.device?.identity.signSecretKey.fill(0);
    this.device?.identity.boxSecretKey.fill(0);
    for (const group of this.groups) for (const { secret } of group.epochs) secret.fill(0);
    this.store = undefined;
    this.device = undefined;
    this.groups = [];
    this.pendingInvite = undefined;
    this.week.forget();
    this.guest?.destroy();
    this.guest = undefined;
    this.venueJoin.end();
    await store.close();
    this.enterLocked();
  }

  private enterLocked(): void {
    this.replaceState({ status: 'locked', route: { name: 'welcome' }, groups: [], updateAvailable: this.state.updateAvailable, unlock: { busy: false, retryAt: 0 } });
  }

  private async unlock(passphrase: string): Promise<void> {
    if (this.state.status !== 'locked') return;
    const guard = await this.deps.readUnlockGuard();
    const now = this.now();
    const retryAt = guard.ok ? unlockWait(guard.value, now) : 0;
    if (retryAt > now) {
      return this.set({ unlock: { busy: false, retryAt }, notice: { kind: 'error', message: LOCK_NOTICES.wait(retryAt - now) } });
    }
    this.set({ unlock: { busy: true, retryAt: 0 }, notice: undefined });
    const opened = await this.deps.openStore({ passphrase });
    if (opened.ok) {
      if (guard.ok && guard.value.failures > 0) await this.deps.writeUnlockGuard({ ...guard.value, failures: 0, lastFailureAt: 0 });
      this.set({ unlock: undefined });
      return this.openWith(opened.value);
    }
    if (opened.error.code !== 'wrong-passphrase') {
      this.set({ unlock: { busy: false, retryAt: 0 } });
      return this.reportStore(opened.error);
    }
    const failed = { failures: (guard.ok ? guard.value.failures : 0) + 1, lastFailureAt: this.now(), wipeAfter: guard.ok ? guard.value.wipeAfter : null };
    if (failed.wipeAfter !== null && failed.failures >= failed.wipeAfter) return this.wipe();
    await this.deps.writeUnlockGuard(failed);
    this.warnOnce('lock', 'wrong-passphrase');
    this.set({ unlock: { busy: false, retryAt: unlockWait(failed, this.now()) }, notice: { kind: 'error', message: opened.error.message } });
  }

  /** Lock on or a new passphrase (a string), or lock off (null): a new storage key, everything re-sealed. */
  private async setPassphrase(passphrase: string | null): Promise<boolean> {
    const store = this.requireStore();
    if (passphrase !== null && passphrase.length < LOCK_MIN_LENGTH) {
      this.set({ notice: { kind: 'error', message: LOCK_NOTICES.tooShort } });
      return false;
    }
    this.set({ privacy: { ...this.state.privacy!, busy: true } });
    // The open board writes under the storage key: close it while the key changes, reopen after.
    const open = this.runtime?.record;
    await this.closeRuntime();
    const rotated = await store.setPassphrase(passphrase);
    this.set({ privacy: { ...this.state.privacy!, busy: false, lock: store.passphraseProtected } });
    if (open) await this.openBoard(open, undefined, { show: false });
    if (!this.ok(rotated)) return false;
    if (passphrase === null) await this.deps.writeUnlockGuard({ failures: 0, lastFailureAt: 0, wipeAfter: null });
    this.set({ notice: { kind: 'info', message: passphrase === null ? LOCK_NOTICES.off : LOCK_NOTICES.on } });
    return true;
  }

  private async setPrivacy(choices: Partial<PrivacyChoices>): Promise<void> {
    const store = this.requireStore();
    const { wipeAfter, ...sealed } = choices;
    for (const [key, value] of Object.entries(sealed)) if (!this.ok(await store.setSetting(key, value))) return;
    if (wipeAfter !== undefined) {
      const guard = await this.deps.readUnlockGuard();
      const written = await this.deps.writeUnlockGuard({ ...(guard.ok ? guard.value : { failures: 0, lastFailureAt: 0 }), wipeAfter });
      if (!this.ok(written)) return;
    }
    this.set({ privacy: { ...this.state.privacy!, ...choices } });
    if (choices.showPresence !== undefined) this.runtime?.setPresenceVisible(choices.showPresence);
    if (choices.showPresence !== undefined) this.runtime?.support.setAcknowledge(choices.showPresence);
    this.set({ groups: this.summaries() });
    this.refreshBoard();
  }

  /** Wipe: nothing is kept, so nothing is flushed; the store's own order puts the wrapped key first. */
  private async wipe(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = undefined;
    await runtime?.close({ discard: true });
    await this.store?.close();
    this.store = undefined;
    this.device = undefined;
    this.groups = [];
    this.week.forget();
    await this.deps.wipe();
    this.replaceState({ status: 'wiped', route: { name: 'welcome' }, groups: [], updateAvailable: false });
  }

  private replaceState(next: AppState): void {
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }

  private checkText(text: string, max: number, emptyMessage: string = NOTICES.empty): boolean {
    if (text.length === 0) this.set({ notice: { kind: 'error', message: emptyMessage } });
    else if (text.length > max) this.set({ notice: { kind: 'error', message: NOTICES.tooLong } });
    else return true;
    return false;
  }

  private ok(result: Result<unknown>): boolean {
    if (!result.ok) this.reportStore(result.error);
    return result.ok;
  }

  /** A store call the person asked for failed: always say so. */
  private reportStore(error: { code: string; message: string }): void {
    this.warnOnce('store', error.code);
    this.set({ notice: { kind: 'error', message: error.message } });
  }

  /** Trouble in the background (bad envelopes, a failed save): one notice per kind, not fifty. */
  private problem(kind: 'rejected' | 'store' | 'forked', code: string, message?: string): void {
    if (!this.warnOnce(kind, kind === 'forked' ? `${code}:${message}` : code)) return;
    const text = kind === 'rejected' ? NOTICES.rejected : kind === 'forked' ? NOTICES.forked(message ?? 'A member') : (message ?? NOTICES.unexpected);
    this.set({ notice: { kind: 'error', message: text } });
  }

  private warnOnce(kind: string, code: string): boolean {
    const key = `${kind}:${code}`;
    if (this.warned.has(key)) return false;
    this.warned.add(key);
    this.deps.warn(key);
    return true;
  }

  private failStart(error: { code: string; message: string }): void {
    this.warnOnce('store', error.code);
    this.set({ status: 'failed', notice: { kind: 'error', message: error.message } });
  }

  private requireStore(): StorePort {
    if (!this.store) throw new Error('store used before start()');
    return this.store;
  }

  private profile(device: DeviceRecord): AppState['profile'] {
    return { displayName: device.displayName, authorId: authorIdOf(device.identity) };
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private go(route: Route): void {
    this.set({ route, ...(route.name === 'invite' ? {} : { invite: undefined }) });
  }

  private set(patch: Partial<AppState>): void {
    const next = { ...this.state, ...patch };
    for (const key of Object.keys(patch) as (keyof AppState)[]) if (patch[key] === undefined) delete next[key];
    this.state = next;
    for (const listener of this.listeners) listener(next);
  }
}

function withMessage(result: { ok: boolean; message?: string }): EditOutcome {
  return result.ok ? { ok: true } : { ok: false, message: result.message ?? NOTICES.unexpected };
}

/** The group record an admitted joiner keeps: only when the welcome's creator and salt derive the invite's group id. */
function groupFromWelcome(invite: OneTimeInvite, welcome: Welcome, now: number): GroupRecord | undefined {
  const creator = fromBase64Url(welcome.creatorId);
  const salt = welcome.salt === undefined ? undefined : fromBase64Url(welcome.salt);
  if (!creator.ok || (salt && (!salt.ok || !bytesEqual(deriveGroupId(creator.bytes, salt.bytes), invite.groupId)))) return undefined;
  const epochs = welcome.epochs.flatMap(({ epoch, secret }) => {
    const bytes = fromBase64Url(secret);
    return bytes.ok && bytes.bytes.length === 32 ? [{ epoch, secret: bytes.bytes }] : [];
  });
  if (epochs.length === 0) return undefined;
  return {
    id: toBase64Url(invite.groupId),
    groupId: invite.groupId,
    name: welcome.name.slice(0, LIMITS.groupName) || 'A group',
    epochs,
    creatorId: welcome.creatorId,
    ...(salt?.ok ? { salt: salt.bytes } : {}),
    logVersion: 2,
    joinedAt: now,
    counter: 0,
  };
}
