import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Searches every byte a browser profile left on disk for strings that must never be there in
 * clear. Each string is looked for as UTF-8 (also Latin-1 for ASCII text, as V8 and SQLite
 * write it), UTF-16LE (V8's two-byte strings, Local Storage, session restore) and UTF-16BE
 * (Chromium's IndexedDB keys). LevelDB table files compress blocks with Snappy, which would
 * hide a string from a plain byte search, so their blocks are also searched decompressed.
 */

export type Encoding = 'utf8' | 'utf16le' | 'utf16be';

export interface Finding {
  label: string;
  encoding: Encoding;
  /** Path relative to the scanned directory. */
  file: string;
  offset: number;
  /** `raw` file bytes, or a Snappy-compressed LevelDB block after decompression. */
  layer: 'raw' | 'leveldb-block';
  /** Printable characters around the hit, to tell why the file holds it. */
  context: string;
}

export interface ScanResult {
  files: number;
  bytes: number;
  /** LevelDB table files read block by block, and their blocks stored compressed (searched decompressed). */
  tables: number;
  decompressedBlocks: number;
  /** Table files whose structure could not be read (so their compressed blocks went unsearched). */
  unreadableTables: string[];
  findings: Finding[];
}

interface Needle {
  label: string;
  encoding: Encoding;
  bytes: Buffer;
}

function needlesOf(strings: Record<string, string>): Needle[] {
  return Object.entries(strings).flatMap(([label, text]) => {
    const le = Buffer.from(text, 'utf16le');
    return [
      { label, encoding: 'utf8' as const, bytes: Buffer.from(text, 'utf8') },
      { label, encoding: 'utf16le' as const, bytes: le },
      { label, encoding: 'utf16be' as const, bytes: Buffer.from(le).swap16() },
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

/** Scans every file under `root` for every string in `strings` (label → text). */
export function scanForStrings(root: string, strings: Record<string, string>): ScanResult {
  const needles = needlesOf(strings);
  const result: ScanResult = { files: 0, bytes: 0, tables: 0, decompressedBlocks: 0, unreadableTables: [], findings: [] };
  for (const path of filesUnder(root)) {
    const bytes = readFileSync(path);
    const file = relative(root, path);
    result.files++;
    result.bytes += bytes.length;
    result.findings.push(...search(bytes, needles, file, 'raw'));
    if (/\.(ldb|sst)$/.test(path)) {
      let blocks: Buffer[];
      try {
        blocks = compressedLevelDbBlocks(bytes);
      } catch {
        result.unreadableTables.push(file);
        continue;
      }
      result.tables++;
      for (const block of blocks) {
        result.decompressedBlocks++;
        result.findings.push(...search(block, needles, file, 'leveldb-block'));
      }
    }
  }
  return result;
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

/** The values (block handles) of a block's entries: enough to walk an index block. */
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

/** Decompressed contents of each Snappy-compressed block of a LevelDB table; throws if it is not one. */
export function compressedLevelDbBlocks(table: Buffer): Buffer[] {
  if (table.length < FOOTER_BYTES) throw new Error('too short for a LevelDB table');
  const footer = table.subarray(table.length - FOOTER_BYTES);
  if (footer.readBigUInt64LE(40) !== TABLE_MAGIC) throw new Error('no LevelDB table magic');
  const [metaindex, afterMeta] = handleAt(footer, 0);
  const [index] = handleAt(footer, afterMeta);
  const out: Buffer[] = [];
  const indexBlock = readBlock(table, index);
  if (indexBlock.compressed) out.push(indexBlock.contents);
  const metaBlock = readBlock(table, metaindex);
  if (metaBlock.compressed) out.push(metaBlock.contents);
  for (const value of blockValues(indexBlock.contents)) {
    const [handle] = handleAt(value, 0);
    const block = readBlock(table, handle);
    if (block.compressed) out.push(block.contents);
  }
  return out;
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
