import * as Y from 'yjs';
import { toBase64Url } from '../../crypto/index.js';
import { CHAIN_ENVELOPE_VERSION, chainKeyOf, sealEnvelope, type EnvelopeKind, type EnvelopeVersion } from '../../src/log/envelope.js';
import { signRecord, type BoardRecord, type PostRecord, type Unsigned } from '../../src/model/index.js';
import { bytesEqual } from '../../crypto/index.js';
import { GROUP_ID, keyring, type Member } from '../fixtures/group.js';

/**
 * What a hostile member can build with a few lines of code: any Yjs update, sealed and signed
 * with their own key as the next link of their own chain of that epoch (or at any seq they
 * like; a version 2 link continues their one chain of log v2).
 */
export function craftLink(
  m: Member,
  update: Uint8Array,
  options: { kind?: EnvelopeKind; seq?: number; prev?: Uint8Array; epoch?: number; authorKey?: Uint8Array; version?: EnvelopeVersion; key?: Uint8Array } = {},
): Uint8Array {
  const version = options.version ?? CHAIN_ENVELOPE_VERSION;
  const epoch = options.epoch ?? 0;
  const chain = chainKeyOf({ version, authorKey: m.identity.signPublicKey, epoch });
  const head = m.log.heads().find((h) => bytesEqual(h.authorKey, chain));
  const kind = options.kind ?? 'update';
  const ring = keyring();
  return sealEnvelope({
    version,
    kind,
    groupId: GROUP_ID,
    epoch,
    seq: options.seq ?? (head?.seq ?? 0) + 1,
    prev: options.prev ?? head?.hash ?? new Uint8Array(32),
    authorKey: options.authorKey ?? m.identity.signPublicKey,
    authorSecretKey: m.identity.signSecretKey,
    key: options.key ?? ring.keyFor(0, kind)!,
    plaintext: update,
  });
}

/** A Yjs update made on a scratch document: `edit` runs on it, optionally after `base`. */
export function craftUpdate(edit: (doc: Y.Doc) => void, base?: Y.Doc, clientID?: number): Uint8Array {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

/** A correctly signed post record of `m`'s, with whatever fields the test overrides. */
export function signedPost(m: Member, fields: Partial<Unsigned<PostRecord>> & { suffix?: string } = {}): PostRecord {
  const { suffix = 'crafted', ...rest } = fields;
  const unsigned: Unsigned<PostRecord> = {
    v: 1,
    type: 'post',
    id: `${m.id}/${suffix}`,
    authorId: m.id,
    createdAt: Date.now(),
    kind: 'story',
    body: 'crafted',
    ...rest,
  };
  return signRecord<PostRecord>(unsigned, m.identity.signSecretKey);
}

export function setRecord(doc: Y.Doc, root: string, record: BoardRecord | Record<string, unknown>): void {
  doc.getMap(root).set(String(record.id), record);
}
