import * as Y from 'yjs';
import type { AppDeps, DeviceRecord, GroupRecord, LogPersistencePort, Result, SessionOptions, SessionPort, StorePort, UnlockGuardRecord } from '../../src/app/ports.js';
import type { PresentMemberView, SyncView } from '../../src/app/state.js';

/**
 * In-memory stand-ins for the store and the session, shaped like the real ones, so the app
 * controller's logic runs in node. The real store and WebRTC session are covered end to end.
 */

const OK: Result<void> = { ok: true, value: undefined };

export class MemoryStore implements StorePort {
  device: DeviceRecord | undefined;
  readonly groups = new Map<string, GroupRecord>();
  readonly logs = new Map<string, Uint8Array[]>();
  readonly settings = new Map<string, unknown>();
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
    this.logs.delete(groupId);
    return OK;
  }
  async loadLog(groupId: string, log: Y.Doc): Promise<Result<void>> {
    for (const update of this.logs.get(groupId) ?? []) Y.applyUpdate(log, update, this);
    return OK;
  }
  persistLog(groupId: string, log: Y.Doc): LogPersistencePort {
    const onUpdate = (update: Uint8Array, origin: unknown): void => {
      if (origin === this) return;
      const list = this.logs.get(groupId) ?? [];
      list.push(update);
      this.logs.set(groupId, list);
    };
    log.on('update', onUpdate);
    return {
      flush: async () => OK,
      destroy: () => log.off('update', onUpdate),
      discard: () => log.off('update', onUpdate),
      on: () => undefined,
    };
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

/** A room of fake sessions that forwards ciphertext log updates between connected members. */
export class FakeNetwork {
  readonly sessions = new Set<FakeSession>();

  join(session: FakeSession): void {
    this.sessions.add(session);
    for (const other of this.sessions) if (other !== session && other.room === session.room) FakeNetwork.link(session, other);
  }

  leave(session: FakeSession): void {
    this.sessions.delete(session);
    for (const other of this.sessions) if (other.room === session.room) other.setPeers(other.status.peers - 1, 'connecting');
  }

  private static link(a: FakeSession, b: FakeSession): void {
    Y.applyUpdate(b.log, Y.encodeStateAsUpdate(a.log), 'network');
    Y.applyUpdate(a.log, Y.encodeStateAsUpdate(b.log), 'network');
    a.setPeers(a.status.peers + 1, 'up-to-date');
    b.setPeers(b.status.peers + 1, 'up-to-date');
  }
}

export class FakeSession implements SessionPort {
  status: SyncView = { state: 'offline', peers: 0, rejected: 0 };
  presence: PresentMemberView[] = [];
  readonly log: Y.Doc;
  readonly room: string;
  destroyed = false;
  private readonly listeners = new Map<string, Set<() => void>>();

  constructor(
    readonly options: SessionOptions,
    private readonly network?: FakeNetwork,
  ) {
    this.log = options.log.log;
    this.room = options.log.keyring.roomName();
    this.log.on('update', this.forward);
  }

  on(event: string, listener: () => void): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(listener);
  }
  off(event: string, listener: () => void): void {
    this.listeners.get(event)?.delete(listener);
  }
  connect(): void {
    this.setPeers(0, 'connecting');
    this.network?.join(this);
  }
  setDisplayName(): void {}
  presenceVisible = true;
  setPresenceVisible(visible: boolean): void {
    this.presenceVisible = visible;
  }
  setPresence(members: PresentMemberView[]): void {
    this.presence = members;
    for (const listener of this.listeners.get('presence') ?? []) listener();
  }
  destroy(): void {
    this.destroyed = true;
    this.log.off('update', this.forward);
    this.network?.leave(this);
  }

  setPeers(peers: number, state: SyncView['state']): void {
    this.status = { ...this.status, peers, state };
    for (const listener of this.listeners.get('status') ?? []) listener();
  }

  private readonly forward = (update: Uint8Array, origin: unknown): void => {
    if (origin === 'network' || !this.network) return;
    for (const other of this.network.sessions) {
      if (other !== this && other.room === this.room) Y.applyUpdate(other.log, update, 'network');
    }
  };
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
  };
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
    location: { origin: 'https://hearth.example', pathname: '/', hash: options.hash ?? '' },
    clearFragment: () => {
      app.cleared++;
    },
    schedule: (task) => queueMicrotask(task),
    warn: (code) => app.warnings.push(code),
  };
  return app;
}
