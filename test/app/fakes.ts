import type { RendezvousPort } from '../../src/sync/rendezvous.js';
import type { AppDeps, DeviceRecord, GroupRecord, Result, SessionOptions, SessionPort, StorePort, UnlockGuardRecord, VenuePort } from '../../src/app/ports.js';
import type { PresentMemberView, SyncView } from '../../src/app/state.js';
import type { EnvelopeStorePort } from '../../src/log/ports.js';
import type { SupportSignal } from '../../src/model/supportSignal.js';
import { EnvelopeSync } from '../../src/sync/envelopeSync.js';
import { MemoryDisk } from '../fakes/memoryEnvelopeStore.js';
import { MemoryNetwork } from '../sync/memoryTransport.js';

/**
 * In-memory stand-ins for the store and the session, shaped like the real ones, so the app
 * controller's logic runs in node. The session is the real envelope sync over in-memory links;
 * the real store and WebRTC session are covered in the browser and end to end.
 */

const OK: Result<void> = { ok: true, value: undefined };

export class MemoryStore implements StorePort {
  device: DeviceRecord | undefined;
  readonly groups = new Map<string, GroupRecord>();
  readonly disk = new MemoryDisk();
  /** v1 ciphertext logs waiting to be carried into v2, by group id. */
  readonly legacyLogs = new Map<string, Uint8Array>();
  readonly settings = new Map<string, unknown>();
  /** The first page as last kept (src/app/firstPage.ts); never kept under the lock. */
  firstPage: unknown;
  /** When set, every write fails with this code. */
  failWrites: string | undefined;
  /** The app lock's passphrase; undefined: no lock. */
  passphrase: string | undefined;
  closed = false;

  get passphraseProtected(): boolean {
    return this.passphrase !== undefined;
  }
  async setPassphrase(passphrase: string | null): Promise<Result<void>> {
    this.passphrase = passphrase ?? undefined;
    return OK;
  }
  async close(): Promise<void> {
    this.closed = true;
  }

  private write(): Result<void> | undefined {
    return this.failWrites ? { ok: false, error: { code: this.failWrites, message: `writes fail: ${this.failWrites}` } } : undefined;
  }

  async loadDevice(): Promise<Result<DeviceRecord | undefined>> {
    return { ok: true, value: this.device };
  }
  async saveDevice(device: DeviceRecord): Promise<Result<void>> {
    this.device = device;
    return this.write() ?? OK;
  }
  async listGroups(): Promise<Result<GroupRecord[]>> {
    return { ok: true, value: [...this.groups.values()].map((g) => ({ ...g })) };
  }
  async saveGroup(group: GroupRecord): Promise<Result<void>> {
    const failed = this.write();
    if (failed) return failed;
    this.groups.set(group.id, { ...group });
    return OK;
  }
  async deleteGroup(groupId: string): Promise<Result<void>> {
    this.groups.delete(groupId);
    this.disk.groups.delete(groupId);
    this.legacyLogs.delete(groupId);
    return OK;
  }
  envelopes(groupId: string): EnvelopeStorePort {
    this.disk.full = this.failWrites !== undefined;
    return this.disk.open(groupId);
  }
  async loadLegacyLog(groupId: string): Promise<Result<Uint8Array | undefined>> {
    return { ok: true, value: this.legacyLogs.get(groupId) };
  }
  async deleteLegacyLog(groupId: string): Promise<Result<void>> {
    this.legacyLogs.delete(groupId);
    return OK;
  }
  async saveFirstPage(page: unknown): Promise<Result<void>> {
    this.firstPage = this.passphraseProtected ? undefined : page;
    return this.write() ?? OK;
  }
  async forgetFirstPage(): Promise<Result<void>> {
    this.firstPage = undefined;
    return OK;
  }
  async getSetting(key: string): Promise<Result<unknown>> {
    return { ok: true, value: this.settings.get(key) };
  }
  async setSetting(key: string, value: unknown): Promise<Result<void>> {
    this.settings.set(key, value);
    return OK;
  }
  onError(): void {}
}

/**
 * A room of sessions on one in-memory network: every session in a room links to every other,
 * and messages are delivered as soon as the current task ends.
 */
/** Rendezvous rooms in memory, by name: every member hears every other's latest state. */
export class MemoryRendezvousRooms {
  private readonly rooms = new Map<string, { states: Map<number, Record<string, unknown>>; listeners: Map<number, (states: unknown[]) => void> }>();
  private next = 0;

  open(name: string): RendezvousPort {
    let room = this.rooms.get(name);
    if (!room) this.rooms.set(name, (room = { states: new Map(), listeners: new Map() }));
    const { states, listeners } = room;
    const id = this.next++;
    const others = (of: number): unknown[] => [...states].filter(([other]) => other !== of).map(([, state]) => state);
    const tell = (): void =>
      void setTimeout(() => listeners.forEach((listener, other) => other !== id && listener(others(other))), 0);
    return {
      publish(state) {
        states.set(id, state);
        tell();
      },
      states: () => others(id),
      on(_event, listener) {
        listeners.set(id, listener);
        if (states.size > 1) setTimeout(() => listener(others(id)), 0);
      },
      destroy() {
        states.delete(id);
        listeners.delete(id);
      },
    };
  }
}

export class FakeNetwork {
  readonly rendezvous = new MemoryRendezvousRooms();
  readonly sessions = new Set<FakeSession>();
  readonly wires = new MemoryNetwork(1);
  private names = 0;
  private delivering = false;

  nameFor(): string {
    return `device-${this.names++}`;
  }

  join(session: FakeSession): void {
    this.sessions.add(session);
    for (const other of this.sessions) if (other !== session && other.room === session.room) this.wires.connect(session.name, other.name);
    this.deliverSoon();
  }

  leave(session: FakeSession): void {
    this.sessions.delete(session);
    for (const other of this.sessions) this.wires.disconnect(session.name, other.name);
  }

  /** Messages go out once the current task has finished, like a real network's. */
  deliverSoon(): void {
    if (this.delivering) return;
    this.delivering = true;
    setTimeout(() => {
      this.delivering = false;
      this.wires.deliverAll();
    }, 0);
  }
}

export class FakeSession implements SessionPort {
  presence: PresentMemberView[] = [];
  readonly room: string;
  readonly name: string;
  readonly sync: EnvelopeSync | undefined;
  destroyed = false;
  connected = false;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    readonly options: SessionOptions,
    private readonly network?: FakeNetwork,
  ) {
    this.room = options.keyring.roomName();
    this.name = network?.nameFor() ?? 'alone';
    if (network) {
      this.sync = new EnvelopeSync({ log: options.log, transport: network.wires.transport(this.name) });
      this.sync.on('status', () => this.emit('status'));
      options.log.on('appended', this.deliver);
    }
  }

  get status(): SyncView {
    const links = this.sync?.status.links ?? 0;
    const state = !this.connected ? 'offline' : links === 0 ? 'connecting' : this.sync!.status.synced === links ? 'up-to-date' : 'connected';
    return { state, peers: links, rejected: 0 };
  }

  on(event: string, listener: () => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }
  off(event: string, listener: () => void): void {
    this.listeners.get(event)?.delete(listener);
  }
  connect(): void {
    this.connected = true;
    this.network?.join(this);
    this.emit('status');
    // As awareness does: a device arriving sees the signals already out, and is seen.
    for (const session of this.network?.sessions ?? []) if (session.room === this.room) session.emit('support');
  }
  setDisplayName(): void {}
  presenceVisible = true;
  setPresenceVisible(visible: boolean): void {
    this.presenceVisible = visible;
  }
  /** This device's published signal; the others in its room read it, as over awareness. */
  ownSignal: SupportSignal | null = null;
  get supportSignals(): SupportSignal[] {
    if (!this.connected || !this.network) return [];
    return [...this.network.sessions]
      .filter((other) => other !== this && other.room === this.room && other.connected && other.ownSignal)
      .map((other) => structuredClone(other.ownSignal!));
  }
  setSupportSignal(signal: SupportSignal | null): void {
    this.ownSignal = signal;
    for (const other of this.network?.sessions ?? []) if (other !== this && other.room === this.room) other.emit('support');
  }
  venueOpen = false;
  /** No WebRTC in node: the venue answers as a phone on no local network would (the real one runs end to end). */
  openVenue(): VenuePort {
    this.venueOpen = true;
    const noNetwork = { ok: false as const, problem: 'no-network', message: 'This phone is not on a local network.' };
    return { createOffer: async () => noNetwork, acceptCode: async () => noNetwork, peers: () => [], on() {}, off() {} };
  }
  closeVenue(): void {
    this.venueOpen = false;
  }
  setPresence(members: PresentMemberView[]): void {
    this.presence = members;
    for (const listener of this.listeners.get('presence') ?? []) listener();
  }
  destroy(): void {
    this.destroyed = true;
    this.options.log.off('appended', this.deliver);
    this.network?.leave(this);
    this.sync?.destroy();
  }

  emit(event: string): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }

  private readonly deliver = (): void => this.network?.deliverSoon();
}

export interface TestApp {
  deps: AppDeps;
  store: MemoryStore;
  sessions: FakeSession[];
  warnings: string[];
  cleared: number;
  guard: UnlockGuardRecord;
  wiped: number;
  left: number;
  /** Calls the app's hashchange listener, as a browser does when the address's fragment changes. */
  changeHash(hash: string): void;
}

/** Deps for one device; `hash` is the fragment the page was opened with. */
export function testDeps(options: { store?: MemoryStore; network?: FakeNetwork; hash?: string; storeFails?: boolean } = {}): TestApp {
  const store = options.store ?? new MemoryStore();
  const app: TestApp = {
    store,
    sessions: [],
    warnings: [],
    cleared: 0,
    guard: { failures: 0, lastFailureAt: 0, wipeAfter: null },
    wiped: 0,
    left: 0,
    deps: undefined as unknown as AppDeps,
    changeHash: (hash) => {
      app.deps.location.hash = hash;
      for (const listener of hashListeners) listener();
    },
  };
  const hashListeners: (() => void)[] = [];
  app.deps = {
    ready: async () => (await import('../../crypto/index.js')).ready(),
    openStore: async (unlock) => {
      if (options.storeFails) return { ok: false, error: { code: 'unavailable', message: 'Hearth cannot use storage (private browsing).' } };
      if (store.passphrase !== undefined && !unlock) return { ok: false, error: { code: 'locked', message: 'locked' } };
      if (store.passphrase !== undefined && unlock?.passphrase !== store.passphrase) {
        return { ok: false, error: { code: 'wrong-passphrase', message: "That passphrase didn't open Hearth." } };
      }
      store.closed = false;
      return { ok: true, value: store };
    },
    readUnlockGuard: async () => ({ ok: true, value: { ...app.guard } }),
    writeUnlockGuard: async (guard) => {
      app.guard = { ...guard };
      return OK;
    },
    wipe: async () => {
      app.wiped++;
    },
    leavePage: () => {
      app.left++;
    },
    createSession: (sessionOptions) => {
      const session = new FakeSession(sessionOptions, options.network);
      app.sessions.push(session);
      return session;
    },
    createRendezvous: (room) => (options.network?.rendezvous ?? new MemoryRendezvousRooms()).open(room),
    location: { origin: 'https://hearth.example', pathname: '/', hash: options.hash ?? '' },
    clearFragment: () => {
      app.cleared++;
      app.deps.location.hash = '';
    },
    onHashChange: (listener) => void hashListeners.push(listener),
    schedule: (task) => queueMicrotask(task),
    warn: (code) => app.warnings.push(code),
  };
  return app;
}
