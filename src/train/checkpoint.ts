/**
 * Checkpoint files: one binary file per run directory, replaced atomically after every epoch.
 * Layout: 8-byte magic 'QKCCKPT1', uint32 LE header length, UTF-8 JSON header (run state, tensor table,
 * SHA-256 of the data section), zero padding to a multiple of 4, then raw little-endian tensor data.
 * Raw bytes rather than JSON numbers so that weights and Adam moments come back bit for bit; the
 * checksum turns a truncated or damaged file into a clear error instead of silently wrong weights.
 */
import { createHash } from 'crypto';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { writeFileAtomic, type AtomicWriteHooks } from '../util/atomic';
import type { RunConfig } from './fingerprint';
import type { EpochRecord } from './metrics';
import type { EarlyStoppingState } from './early-stopping';

/** File name of the checkpoint inside outDir. */
export const CHECKPOINT_FILE = 'checkpoint.qkcckpt';
const MAGIC = 'QKCCKPT1';
const FORMAT = 'qkc-train-checkpoint/1';

/** One stored array. Names: 'weights/i' (model.weights order), 'adam/m/i', 'adam/v/i', 'best/i'. */
export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

/** Everything but the arrays: enough to continue the run exactly. */
export interface CheckpointMeta {
  format: typeof FORMAT;
  /** Last completed epoch (1-based). */
  epoch: number;
  configHash: string;
  config: RunConfig;
  history: EpochRecord[];
  /** State of the trainer's PRNG after `epoch`. */
  prngState: number;
  /** Adam's step count. */
  optimizerStep: number;
  earlyStopping: EarlyStoppingState | null;
  /** ISO time of writing (informative only). */
  savedAt: string;
}

/** A decoded checkpoint. */
export interface Checkpoint {
  meta: CheckpointMeta;
  tensors: CheckpointTensor[];
}

interface TableEntry { name: string; shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }
interface Header { meta: CheckpointMeta; tensors: TableEntry[]; dataBytes: number; dataSha256: string }

/** Serialises a checkpoint to bytes. */
export function encodeCheckpoint(ckpt: Checkpoint): Uint8Array {
  const table: TableEntry[] = [];
  let offset = 0;
  for (const t of ckpt.tensors) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`checkpoint tensor '${t.name}': shape [${t.shape}] needs ${size} values, got ${t.data.length}`);
    table.push({ name: t.name, shape: t.shape, dtype: t.data instanceof Int32Array ? 'int32' : 'float32', offset, length: t.data.length });
    offset += t.data.byteLength;
  }
  const data = Buffer.alloc(offset);
  ckpt.tensors.forEach((t, i) => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(data, table[i].offset));
  const header: Header = { meta: ckpt.meta, tensors: table, dataBytes: offset, dataSha256: createHash('sha256').update(data).digest('hex') };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = 8 + 4 + headerBytes.length;
  const pad = (4 - (pre % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(headerBytes.length, 0);
  return Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, headerBytes, Buffer.alloc(pad), data]);
}

/** Parses checkpoint bytes; `source` names the file in errors. */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): Checkpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) {
    throw new Error(`${source}: not a qkc checkpoint (expected magic '${MAGIC}')`);
  }
  const headerLen = buf.readUInt32LE(8);
  if (12 + headerLen > buf.length) throw new Error(`${source}: truncated (header needs ${headerLen} bytes, file has ${buf.length - 12} after the prefix)`);
  let header: Header;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + headerLen)) as Header;
  } catch (e) {
    throw new Error(`${source}: damaged header (${(e as Error).message})`);
  }
  if (header.meta?.format !== FORMAT) throw new Error(`${source}: unsupported format '${header.meta?.format}', expected '${FORMAT}'`);
  const start = 12 + headerLen + ((4 - ((12 + headerLen) % 4)) % 4);
  const data = buf.subarray(start);
  if (data.length !== header.dataBytes) throw new Error(`${source}: truncated or padded (data section has ${data.length} bytes, expected ${header.dataBytes})`);
  if (createHash('sha256').update(data).digest('hex') !== header.dataSha256) throw new Error(`${source}: data checksum mismatch (file damaged)`);
  const tensors = header.tensors.map((e) => {
    // Copy each array out: the file buffer need not be 4-byte aligned for a typed-array view.
    const raw = data.buffer.slice(data.byteOffset + e.offset, data.byteOffset + e.offset + e.length * 4);
    return { name: e.name, shape: e.shape, data: e.dtype === 'int32' ? new Int32Array(raw) : new Float32Array(raw) };
  });
  return { meta: header.meta, tensors };
}

/** Path of the checkpoint in `outDir`. */
export function checkpointPath(outDir: string): string {
  return path.join(outDir, CHECKPOINT_FILE);
}

/** Writes the checkpoint into `outDir` atomically (old checkpoint stays intact until the new one is complete). */
export async function saveCheckpoint(outDir: string, ckpt: Checkpoint, hooks?: AtomicWriteHooks): Promise<void> {
  await writeFileAtomic(checkpointPath(outDir), encodeCheckpoint(ckpt), hooks);
}

/** Reads `outDir`'s checkpoint, or null when there is none. */
export async function loadCheckpoint(outDir: string): Promise<Checkpoint | null> {
  const file = checkpointPath(outDir);
  let bytes: Buffer;
  try {
    bytes = await fsp.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  return decodeCheckpoint(bytes, file);
}

/** The tensors whose names start with `prefix/`, in index order (checks that none is missing). */
export function tensorGroup(ckpt: Checkpoint, prefix: string): CheckpointTensor[] {
  const group = ckpt.tensors.filter((t) => t.name.startsWith(prefix + '/'));
  group.forEach((t, i) => {
    if (t.name !== `${prefix}/${i}`) throw new Error(`checkpoint: expected tensor '${prefix}/${i}', found '${t.name}'`);
  });
  return group;
}
