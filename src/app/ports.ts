import type { DeviceIdentity } from '../../crypto/index.js';
import type { EnvelopeCounter } from '../log/counter.js';
import type { GroupKeyring } from '../log/keyring.js';
import type { EnvelopeStorePort, SyncableLog } from '../log/ports.js';
import type { SupportSignal } from '../model/supportSignal.js';
import type { StoredDevice, StoredGroup } from '../store/records.js';
import type { OneTimeInvite } from '../sync/oneTimeInvite.js';
import type { RendezvousPort } from '../sync/rendezvous.js';
import type { VenueInviteRefusal } from '../sync/venueMessages.js';
import type { PresentMemberView, SyncView } from './state.js';

/**
 * What the app controller needs from storage, sync and the page, as small interfaces. The
 * real parts (src/store, src/sync/groupSession.ts, window) satisfy them in src/app/boot.ts;
 * node unit tests pass in-memory fakes, so the controller's logic is tested without a browser.
 */

export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };

export type DeviceRecord = StoredDevice;
export type GroupRecord = StoredGroup;

export interface StorePort {
  loadDevice(): Promise<Result<DeviceRecord | undefined>>;
  saveDevice(device: DeviceRecord): Promise<Result<void>>;
  listGroups(): Promise<Result<GroupRecord[]>>;
  saveGroup(group: GroupRecord): Promise<Result<void>>;
  deleteGroup(groupId: string): Promise<Result<void>>;
  /** The group's envelopes on disk: one store per open group. */
  envelopes(groupId: string): EnvelopeStorePort;
  /** A v1 group's stored ciphertext log (one merged Yjs update), until it is carried into v2. */
  loadLegacyLog(groupId: string): Promise<Result<Uint8Array | undefined>>;
  deleteLegacyLog(groupId: string): Promise<Result<void>>;
  getSetting(key: string): Promise<Result<unknown>>;
  setSetting(key: string, value: unknown): Promise<Result<void>>;
  /** Keeps the first page (src/app/firstPage.ts), readable before libsodium loads; never under the app lock. */
  saveFirstPage(page: unknown): Promise<Result<void>>;
  forgetFirstPage(): Promise<Result<void>>;
  /** Trouble no call's result can carry (the browser closed the database, a newer tab upgraded it). */
  onError(listener: (error: { code: string; message: string }) => void): void;
  /** True when the storage key is wrapped under the app lock's passphrase. */
  readonly passphraseProtected: boolean;
  /** Rotates the storage key: wrapped under `passphrase` (lock on, or a new passphrase), or null (lock off). */
  setPassphrase(passphrase: string | null): Promise<Result<void>>;
  /** Writes what is pending, closes, and forgets the storage key. */
  close(): Promise<void>;
}

/** Failed unlocks on this device and the optional wipe after too many (src/store/unlockGuard.ts). */
export interface UnlockGuardRecord {
  failures: number;
  lastFailureAt: number;
  wipeAfter: number | null;
}

export type SessionEvent = 'status' | 'presence' | 'support';

export interface SessionPort {
  readonly status: SyncView;
  readonly presence: readonly PresentMemberView[];
  on(event: SessionEvent, listener: () => void): void;
  off(event: SessionEvent, listener: () => void): void;
  connect(): void;
  destroy(): void;
  /** Re-seals presence under a new name. */
  setDisplayName(name: string): void;
  /** Stops (false) or resumes (true) announcing this device in "Here now", while still syncing. */
  setPresenceVisible(visible: boolean): void;
  /** Other devices' support signals in the live session (memory only). */
  readonly supportSignals: readonly SupportSignal[];
  /** Publishes this device's support signal to the devices here now; null withdraws it. */
  setSupportSignal(signal: SupportSignal | null): void;
  /** A meeting without internet: links set up by QR codes, proven against `isMember` (src/sync/venueSession.ts). */
  openVenue(
    isMember: (signPublicKey: Uint8Array) => boolean,
    inviteStatus?: (inviteKey: string) => VenueInviteRefusal | undefined,
    /** The newcomer's invite-mode venue session it was just admitted over: its link carries the group from now on. */
    joinedOver?: JoinerVenuePort,
  ): VenuePort;
  closeVenue(): void;
}

/** What the app asks of a venue session; failures come back as a problem and a message in plain words. */
export type VenueOutcome<T> = ({ ok: true } & T) | { ok: false; problem: string; message: string };

export interface VenuePort {
  createOffer(): Promise<VenueOutcome<{ code: Uint8Array }>>;
  acceptCode(bytes: Uint8Array): Promise<VenueOutcome<{ answer?: Uint8Array; shortCode: string }>>;
  peers(): { authorId: string; shortCode: string }[];
  on(event: 'peers', listener: () => void): void;
  off(event: 'peers', listener: () => void): void;
  /** A connection was refused or failed; `problem` is one of src/sync/venueSession.ts's codes. */
  on(event: 'problem', listener: (problem: string) => void): void;
  off(event: 'problem', listener: (problem: string) => void): void;
  /** The invite handshake of the invite `inviteKey` over the venue's invite links (PROTOCOL §12.3). */
  inviteRendezvous?(inviteKey: string): RendezvousPort;
}

/** A newcomer's venue session (invite mode, PROTOCOL §12.3): it answers one scanned code and runs the invite handshake there. */
export type JoinerVenuePort = VenuePort & {
  inviteRendezvous(inviteKey: string): RendezvousPort;
  /** The facilitator's device refused the invite (used, expired, withdrawn). */
  on(event: 'refused', listener: (reason: VenueInviteRefusal) => void): void;
  off(event: 'refused', listener: (reason: VenueInviteRefusal) => void): void;
  close(): void;
};

export interface SessionOptions {
  log: SyncableLog;
  keyring: GroupKeyring;
  identity: DeviceIdentity;
  displayName: string;
  /** Presence envelopes' counter (clock-seeded, stored with the group so it only grows). */
  counter: EnvelopeCounter;
  /** Whether a device key is a current member's: given, the session lingers in previous epochs' rooms (PROTOCOL §13.1). */
  isMember?: (signPublicKey: Uint8Array) => boolean;
}

/** Everything from outside: the real wiring lives in boot.ts. */
export interface AppDeps {
  /** Loads libsodium; every crypto call waits on it. */
  ready(): Promise<unknown>;
  /** Opens storage; with `passphrase`, a store under the app lock. A locked store without one answers `locked`. */
  openStore(unlock?: { passphrase: string }): Promise<Result<StorePort>>;
  readUnlockGuard(): Promise<Result<UnlockGuardRecord>>;
  writeUnlockGuard(guard: UnlockGuardRecord): Promise<Result<void>>;
  /** Deletes the wrapped key first, then every database, cache and service worker of the app. */
  wipe(): Promise<void>;
  /** Quick exit: replaces the page with a neutral one (`location.replace`, so Back does not return). */
  leavePage(): void;
  createSession(options: SessionOptions): SessionPort;
  /** A rendezvous room for the invite handshake (absent: this device cannot host or use invites). */
  createRendezvous?(room: string, password: string): RendezvousPort;
  /** A newcomer's venue session for `invite` (absent: this device cannot join at a meeting without internet). */
  createInviteVenue?(invite: OneTimeInvite, identity: DeviceIdentity): JoinerVenuePort;
  /** The page address: where the app lives (for invite links) and the fragment it was opened with. */
  location: { origin: string; pathname: string; hash: string };
  /** Removes the fragment from the address bar, so an invite secret does not linger in history. */
  clearFragment(): void;
  /** Calls `listener` when the address's fragment changes in an open page (an invite pasted into the bar). */
  onHashChange?(listener: () => void): void;
  /** Runs `task` soon, once per burst of board changes (requestAnimationFrame in the page). */
  schedule(task: () => void): void;
  /** Logs a problem by its code only: never content. */
  warn(code: string): void;
  onUpdateAvailable?(listener: () => void): void;
  applyUpdate?(): void;
  now?(): number;
}
