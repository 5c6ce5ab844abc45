import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Searches every byte a browser profile left on disk for strings that must never be there in
 * clear. Each string is looked for as UTF-8 (also Latin-1 for ASCII text, as V8 and SQLite
 * write it), UTF-16LE (V8's two-byte strings, Local Storage, session restore) and UTF-16BE
 * (Chromium's IndexedDB keys); byte strings are looked for as they are.
 *
 * Compression would hide a string from a plain byte search, so LevelDB files are also read
 * structurally: table (.ldb) blocks stored Snappy-compressed are searched decompressed, and
 * every value in a table or a log (.log) that Chromium's IndexedDB stored Snappy-compressed
 * (large values: V8 header FF 11 02, then Snappy) is searched decompressed too.
 */

export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'bytes';

export interface Finding {
  label: string;
  encoding: Encoding;
  /** Path relative to the scanned directory. */
  file: string;
  offset: number;
  /** Where in the file: its `raw` bytes, a decompressed LevelDB table block, or a decompressed IndexedDB value. */
  layer: 'raw' | 'leveldb-block' | 'indexeddb-value';
  /** Printable characters around the hit, to tell why the file holds it. */
  context: string;
}

export interface ScanResult {
  files: number;
  bytes: number;
  /** LevelDB files read structurally (tables and logs). */
  levelDbFiles: number;
  /** Compressed table blocks and compressed IndexedDB values, each searched decompressed. */
  decompressed: { blocks: number; indexedDbValues: number };
  /** LevelDB files whose structure could not be read (so anything compressed in them went unsearched). */
  unreadable: string[];
  findings: Finding[];
}

interface Needle {
  label: string;
  encoding: Encoding;
  bytes: Buffer;
}

function needlesOf(targets: Record<string, string | Uint8Array>): Needle[] {
  return Object.entries(targets).flatMap(([label, target]): Needle[] => {
    if (typeof target !== 'string') return [{ label, encoding: 'bytes', bytes: Buffer.from(target) }];
    const le = Buffer.from(target, 'utf16le');
    return [
      { label, encoding: 'utf8', bytes: Buffer.from(target, 'utf8') },
      { label, encoding: 'utf16le', bytes: le },
      { label, encoding: 'utf16be', bytes: Buffer.from(le).swap16() },
    ];
  });
}

/** Every regular file under `root` (symlinks such as Chromium's SingletonLock are skipped). */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(root)) {
    const path = join(root, entry);
    const stat = lstatSync(path);
    if (stat.isDirectory()) out.push(...filesUnder(path));
    else if (stat.isFile()) out.push(path);
  }
  return out;
}

function printable(bytes: Buffer): string {
  return [...bytes].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
}

function search(haystack: Buffer, needles: Needle[], file: string, layer: Finding['layer']): Finding[] {
  const findings: Finding[] = [];
  for (const needle of needles) {
    let at = haystack.indexOf(needle.bytes);
    while (at !== -1) {
      const context = printable(haystack.subarray(Math.max(0, at - 80), at + needle.bytes.length + 80));
      findings.push({ label: needle.label, encoding: needle.encoding, file, offset: at, layer, context });
      at = haystack.indexOf(needle.bytes, at + 1);
    }
  }
  return findings;
}

/** What is stored compressed inside a LevelDB file, decompressed. */
function compressedContents(path: string, bytes: Buffer): { blocks: Buffer[]; values: Buffer[] } {
  if (/\.(ldb|sst)$/.test(path)) {
    const { blocks, compressed } = levelDbTableBlocks(bytes);
    return { blocks: compressed, values: blocks.flatMap(blockValues).flatMap(indexedDbSnappyValue) };
  }
  const values = levelDbLogRecords(bytes).flatMap(writeBatchValues);
  return { blocks: [], values: values.flatMap(indexedDbSnappyValue) };
}

/** Scans every file under `root` for every target (label → text, or exact bytes). */
export function scanProfile(root: string, targets: Record<string, string | Uint8Array>): ScanResult {
  const needles = needlesOf(targets);
  const result: ScanResult = { files: 0, bytes: 0, levelDbFiles: 0, decompressed: { blocks: 0, indexedDbValues: 0 }, unreadable: [], findings: [] };
  for (const path of filesUnder(root)) {
    const bytes = readFileSync(path);
    const file = relative(root, path);
    result.files++;
    result.bytes += bytes.length;
    result.findings.push(...search(bytes, needles, file, 'raw'));
    // LevelDB keeps its data in numbered .ldb/.sst tables and .log files (the "LOG" file is text).
    if (!/(^|\/)\d+\.(ldb|sst|log)$/.test(file)) continue;
    let contents: { blocks: Buffer[]; values: Buffer[] };
    try {
      contents = compressedContents(path, bytes);
    } catch {
      result.unreadable.push(file);
      continue;
    }
    result.levelDbFiles++;
    for (const block of contents.blocks) result.findings.push(...search(block, needles, file, 'leveldb-block'));
    for (const value of contents.values) result.findings.push(...search(value, needles, file, 'indexeddb-value'));
    result.decompressed.blocks += contents.blocks.length;
    result.decompressed.indexedDbValues += contents.values.length;
  }
  return result;
}

/** Chromium's IndexedDB marks a Snappy-compressed value with V8's version tag and pseudo-version 17, tag 2. */
const INDEXEDDB_SNAPPY_HEADER = Buffer.from([0xff, 0x11, 0x02]);

/** The decompressed value if `value` is an IndexedDB value stored Snappy-compressed, else nothing. */
export function indexedDbSnappyValue(value: Buffer): Buffer[] {
  // The header follows a short varint prefix (the object store's data version).
  const at = value.subarray(0, 12).indexOf(INDEXEDDB_SNAPPY_HEADER);
  if (at === -1) return [];
  return [snappyDecompress(value.subarray(at + INDEXEDDB_SNAPPY_HEADER.length))];
}

// ---- LevelDB tables: footer → index block → data blocks, each optionally Snappy-compressed ----

const TABLE_MAGIC = 0xdb4775248b80fb57n;
const FOOTER_BYTES = 48;

function varint(bytes: Buffer, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 64; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return [value, i + 1];
    shift += 7;
  }
  throw new Error('truncated varint');
}

interface BlockHandle {
  offset: number;
  size: number;
}

function handleAt(bytes: Buffer, at: number): [BlockHandle, number] {
  const [offset, afterOffset] = varint(bytes, at);
  const [size, next] = varint(bytes, afterOffset);
  return [{ offset, size }, next];
}

/** A block's contents and whether it was stored compressed (type byte 1 = Snappy). */
function readBlock(table: Buffer, handle: BlockHandle): { contents: Buffer; compressed: boolean } {
  const raw = table.subarray(handle.offset, handle.offset + handle.size);
  const type = table[handle.offset + handle.size];
  return type === 1 ? { contents: snappyDecompress(raw), compressed: true } : { contents: raw, compressed: false };
}

/** The values of a table block's entries (block handles in an index block, records in a data block). */
function blockValues(block: Buffer): Buffer[] {
  const restarts = block.readUInt32LE(block.length - 4);
  const end = block.length - 4 - restarts * 4;
  const values: Buffer[] = [];
  let at = 0;
  while (at < end) {
    const [, a] = varint(block, at); // shared key bytes
    const [unshared, b] = varint(block, a);
    const [valueLength, c] = varint(block, b);
    const valueStart = c + unshared;
    values.push(block.subarray(valueStart, valueStart + valueLength));
    at = valueStart + valueLength;
  }
  return values;
}

const LOG_BLOCK_BYTES = 32 * 1024;
const LOG_HEADER_BYTES = 7;

/**
 * The write batches in a LevelDB log (.log) file: 32 KiB blocks of records, each with a 7-byte
 * header (crc32c, length, type FULL=1 / FIRST=2 / MIDDLE=3 / LAST=4), reassembled across blocks.
 */
export function levelDbLogRecords(log: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let pending: Buffer[] | undefined;
  for (let block = 0; block < log.length; block += LOG_BLOCK_BYTES) {
    const end = Math.min(block + LOG_BLOCK_BYTES, log.length);
    let at = block;
    while (at + LOG_HEADER_BYTES <= end) {
      const length = log.readUInt16LE(at + 4);
      const type = log[at + 6];
      if (type === 0 && length === 0) break; // trailer padding or preallocated space
      const data = log.subarray(at + LOG_HEADER_BYTES, at + LOG_HEADER_BYTES + length);
      at += LOG_HEADER_BYTES + length;
      if (type === 1) records.push(data);
      else if (type === 2) pending = [data];
      else if (type === 3) pending?.push(data);
      else if (type === 4 && pending) {
        pending.push(data);
        records.push(Buffer.concat(pending));
        pending = undefined;
      } else throw new Error(`bad log record type ${type}`);
    }
  }
  return records;
}

/** The values put by a write batch: sequence (8), count (4), then put (1) / delete (0) entries. */
export function writeBatchValues(batch: Buffer): Buffer[] {
  const values: Buffer[] = [];
  let at = 12;
  while (at < batch.length) {
    const tag = batch[at++];
    const [keyLength, afterKeyLength] = varint(batch, at);
    at = afterKeyLength + keyLength;
    if (tag === 0) continue;
    if (tag !== 1) throw new Error(`bad write batch tag ${tag}`);
    const [valueLength, afterValueLength] = varint(batch, at);
    values.push(batch.subarray(afterValueLength, afterValueLength + valueLength));
    at = afterValueLength + valueLength;
  }
  return values;
}

/** Every block of a LevelDB table (decompressed), and which of them had been stored compressed. */
export function levelDbTableBlocks(table: Buffer): { blocks: Buffer[]; compressed: Buffer[] } {
  if (table.length < FOOTER_BYTES) throw new Error('too short for a LevelDB table');
  const footer = table.subarray(table.length - FOOTER_BYTES);
  if (footer.readBigUInt64LE(40) !== TABLE_MAGIC) throw new Error('no LevelDB table magic');
  const [metaindex, afterMeta] = handleAt(footer, 0);
  const [index] = handleAt(footer, afterMeta);
  const indexBlock = readBlock(table, index);
  const all = [indexBlock, readBlock(table, metaindex)];
  for (const value of blockValues(indexBlock.contents)) all.push(readBlock(table, handleAt(value, 0)[0]));
  return {
    blocks: all.map((block) => block.contents),
    compressed: all.filter((block) => block.compressed).map((block) => block.contents),
  };
}

/** Snappy raw-format decompression (literals and back-references), as LevelDB uses it. */
export function snappyDecompress(input: Buffer): Buffer {
  const [length, start] = varint(input, 0);
  const out = Buffer.alloc(length);
  let o = 0;
  let i = start;
  while (i < input.length) {
    const tag = input[i++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const extra = len - 59;
        len = input.readUIntLE(i, extra);
        i += extra;
      }
      len += 1;
      input.copy(out, o, i, i + len);
      i += len;
      o += len;
      continue;
    }
    let len: number;
    let distance: number;
    if (type === 1) {
      len = ((tag >> 2) & 7) + 4;
      distance = ((tag >> 5) << 8) | input[i++]!;
    } else if (type === 2) {
      len = (tag >> 2) + 1;
      distance = input.readUInt16LE(i);
      i += 2;
    } else {
      len = (tag >> 2) + 1;
      distance = input.readUInt32LE(i);
      i += 4;
    }
    if (distance === 0 || distance > o) throw new Error('bad snappy back-reference');
    // Byte by byte: a copy may overlap what it is writing (run-length style).
    for (let k = 0; k < len; k++, o++) out[o] = out[o - distance]!;
  }
  if (o !== length) throw new Error('snappy length mismatch');
  return out;
}
