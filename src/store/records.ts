import { SIGN_PUBLIC_KEY_BYTES, fromBase64Url, toBase64Url, type DeviceIdentity } from '../../crypto/index.js';
import { FOCUSES, type GroupFocus } from '../model/index.js';
import { CorruptRecordError } from './errors.js';

/** This device: its keys and the name its person chose. Sealed at rest as a DevicePlaintextV1. */
export interface StoredDevice {
  identity: DeviceIdentity;
  displayName: string;
  createdAt: number;
}

/** One group this device belongs to. Sealed at rest as a GroupPlaintextV2 (v1 still decodes). */
export interface StoredGroup {
  /** base64url of `groupId`; the record's key. */
  id: string;
  groupId: Uint8Array;
  name: string;
  focus?: GroupFocus;
  guidelines?: string;
  epochs: { epoch: number; secret: Uint8Array }[];
  joinedAt: number;
  /** Last envelope counter this device used in the group. */
  counter: number;
  /** base64url of the creator's signing key, named by the group's genesis entry (log v2 groups). */
  creatorId?: string;
  /** The salt that, with the creator's key, derives a v2 group's id (absent for groups carried over from v1). */
  salt?: Uint8Array;
  /** 2: the board is stored as envelopes; 1: a v1 ciphertext log still waits to be migrated. */
  logVersion: 1 | 2;
}

/** The JSON inside a sealed device record (bytes as unpadded base64url). */
interface DevicePlaintextV1 {
  v: 1;
  displayName: string;
  createdAt: number;
  signPublicKey: string;
  signSecretKey: string;
  boxPublicKey: string;
  boxSecretKey: string;
}

/** The JSON inside a sealed group record, version 1 (read only). */
interface GroupPlaintextV1 {
  v: 1;
  groupId: string;
  name: string;
  focus?: GroupFocus;
  guidelines?: string;
  epochs: { epoch: number; secret: string }[];
  joinedAt: number;
  counter: number;
}

/** Version 2 adds the creator and which log format holds the board. */
interface GroupPlaintextV2 extends Omit<GroupPlaintextV1, 'v'> {
  v: 2;
  creatorId?: string;
  salt?: string;
  logVersion: 1 | 2;
}

export function encodeDevice(device: StoredDevice): DevicePlaintextV1 {
  const { identity } = device;
  return {
    v: 1,
    displayName: device.displayName,
    createdAt: device.createdAt,
    signPublicKey: toBase64Url(identity.signPublicKey),
    signSecretKey: toBase64Url(identity.signSecretKey),
    boxPublicKey: toBase64Url(identity.boxPublicKey),
    boxSecretKey: toBase64Url(identity.boxSecretKey),
  };
}

export function decodeDevice(value: unknown): StoredDevice {
  const record = asObject(value, 'device');
  if (record['v'] !== 1) throw new CorruptRecordError('device record has an unknown version');
  return {
    displayName: text(record, 'displayName'),
    createdAt: finite(record, 'createdAt'),
    identity: {
      signPublicKey: bytes(record, 'signPublicKey'),
      signSecretKey: bytes(record, 'signSecretKey'),
      boxPublicKey: bytes(record, 'boxPublicKey'),
      boxSecretKey: bytes(record, 'boxSecretKey'),
    },
  };
}

export function encodeGroup(group: StoredGroup): GroupPlaintextV2 {
  return {
    v: 2,
    groupId: toBase64Url(group.groupId),
    name: group.name,
    ...(group.focus ? { focus: group.focus } : {}),
    ...(group.guidelines ? { guidelines: group.guidelines } : {}),
    epochs: group.epochs.map(({ epoch, secret }) => ({ epoch, secret: toBase64Url(secret) })),
    joinedAt: group.joinedAt,
    counter: group.counter,
    ...(group.creatorId !== undefined ? { creatorId: group.creatorId } : {}),
    ...(group.salt !== undefined ? { salt: toBase64Url(group.salt) } : {}),
    logVersion: group.logVersion,
  };
}

export function decodeGroup(value: unknown): StoredGroup {
  const record = asObject(value, 'group');
  const version = record['v'];
  if (version !== 1 && version !== 2) throw new CorruptRecordError('group record has an unknown version');
  const epochs = record['epochs'];
  if (!Array.isArray(epochs) || epochs.length === 0) throw new CorruptRecordError('group record has no epochs');
  const focus = record['focus'];
  if (focus !== undefined && !(FOCUSES as readonly unknown[]).includes(focus)) {
    throw new CorruptRecordError('group record has an unknown focus');
  }
  const guidelines = record['guidelines'];
  if (guidelines !== undefined && typeof guidelines !== 'string') throw new CorruptRecordError('bad guidelines');
  const groupId = bytes(record, 'groupId');
  return {
    id: toBase64Url(groupId),
    groupId,
    name: text(record, 'name'),
    ...(focus !== undefined ? { focus: focus as GroupFocus } : {}),
    ...(guidelines !== undefined ? { guidelines } : {}),
    epochs: epochs.map((entry: unknown) => {
      const epoch = asObject(entry, 'epoch');
      return { epoch: finite(epoch, 'epoch'), secret: bytes(epoch, 'secret') };
    }),
    joinedAt: finite(record, 'joinedAt'),
    counter: finite(record, 'counter'),
    ...(version === 2 ? groupV2Fields(record) : { logVersion: 1 }),
  };
}

function groupV2Fields(record: Record<string, unknown>): Pick<StoredGroup, 'creatorId' | 'salt' | 'logVersion'> {
  const logVersion = record['logVersion'];
  if (logVersion !== 1 && logVersion !== 2) throw new CorruptRecordError('group record has an unknown log version');
  const salt = record['salt'] === undefined ? {} : { salt: bytes(record, 'salt') };
  if (record['creatorId'] === undefined) return { logVersion, ...salt };
  if (bytes(record, 'creatorId').length !== SIGN_PUBLIC_KEY_BYTES) throw new CorruptRecordError('creatorId is not a signing key');
  return { creatorId: text(record, 'creatorId'), logVersion, ...salt };
}

function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptRecordError(`${what} record is not an object`);
  }
  return value as Record<string, unknown>;
}

function text(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw new CorruptRecordError(`${field} is not text`);
  return value;
}

function finite(record: Record<string, unknown>, field: string): number {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new CorruptRecordError(`${field} is not a number`);
  return value;
}

function bytes(record: Record<string, unknown>, field: string): Uint8Array {
  const decoded = fromBase64Url(text(record, field));
  if (!decoded.ok) throw new CorruptRecordError(`${field} is not base64url`);
  return decoded.bytes;
}
