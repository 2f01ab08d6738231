/**
 * The IDX file format of MNIST and Fashion-MNIST, raw or gzip-compressed: a 4-byte magic (0, 0, type,
 * number of dimensions), one big-endian uint32 per dimension, then the values. Every way a file can be
 * wrong (not gzip after all, truncated, wrong magic, wrong size) gets an error naming the file, what
 * was expected and what was found.
 */
import * as fs from 'fs';
import * as zlib from 'zlib';
import { DatasetError } from './errors';

/** Magic number of an IDX file of uint8 images [count, rows, cols]. */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** Magic number of an IDX file of uint8 images with channels [count, rows, cols, channels] (channels last). */
export const IDX_IMAGES_C_MAGIC = 0x00000804;
/** Magic number of an IDX file of uint8 labels [count]. */
export const IDX_LABELS_MAGIC = 0x00000801;

const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'short',
  0x0c: 'int',
  0x0d: 'float',
  0x0e: 'double',
};

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  /** Sizes of the dimensions, outermost first. */
  dims: number[];
  /** The values, row-major; a view into the file's (decompressed) bytes. */
  data: Uint8Array;
}

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

/** Gunzips `bytes` when they start with the gzip magic (1f 8b), whatever the file is called. */
export function maybeGunzip(bytes: Uint8Array, fileName: string): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes);
  } catch (e) {
    throw new DatasetError(`${fileName}: gzip data is corrupt or truncated`, 'a complete gzip stream',
      `an error (${(e as Error).message}) in ${bytes.length} compressed bytes`, 'download the file again');
  }
}

/**
 * Parses IDX bytes (already decompressed). With `magics`, the file must be of that kind (one of them; an image
 * file given where labels belong is caught here). Only unsigned-byte data (type 0x08) is supported.
 */
export function parseIdx(bytes: Uint8Array, fileName: string, magics?: number | readonly number[]): IdxArray {
  const allowed = magics === undefined ? undefined : typeof magics === 'number' ? [magics] : magics;
  const expectedMagic = allowed?.[0];
  // The first allowed magic is the usual one; the others are named after it ("… or 0x00000804").
  const also = allowed && allowed.length > 1 ? ` (or ${allowed.slice(1).map(hex32).join(', ')} with channels)` : '';
  if (bytes.length < 4) {
    throw new DatasetError(`${fileName}: too short for an IDX header`, 'at least 4 bytes', `${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  const kind = (m: number): string =>
    m === IDX_IMAGES_MAGIC || m === IDX_IMAGES_C_MAGIC ? 'IDX images' : m === IDX_LABELS_MAGIC ? 'IDX labels' : 'IDX';
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const expect = expectedMagic === undefined ? 'an IDX magic 0x0000TTDD' : `${kind(expectedMagic)} magic ${hex32(expectedMagic)}${also}`;
    throw new DatasetError(`${fileName}: not an IDX file`, expect, hex32(magic));
  }
  if (bytes[2] !== UBYTE) {
    const type = TYPE_NAMES[bytes[2]] ?? 'unknown type';
    throw new DatasetError(`${fileName}: unsupported IDX data type`, '0x08 (unsigned byte), the only type supported',
      `0x${bytes[2].toString(16).padStart(2, '0')} (${type})`);
  }
  if (allowed !== undefined && expectedMagic !== undefined && !allowed.includes(magic)) {
    throw new DatasetError(fileName, `${kind(expectedMagic)} magic ${hex32(expectedMagic)}${also}`, `${hex32(magic)} (${kind(magic)} with ${bytes[3]} dimension(s))`);
  }
  const nDims = bytes[3];
  const header = 4 + 4 * nDims;
  if (bytes.length < header) {
    throw new DatasetError(`${fileName}: truncated header`, `${header} header bytes for ${nDims} dimension(s)`, `${bytes.length}`);
  }
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const got = bytes.length - header;
  if (got < expected) {
    throw new DatasetError(`${fileName}: truncated`, `${expected} data bytes, as the header announces [${dims.join(' × ')}]`, `${got}`);
  }
  if (got > expected) {
    throw new DatasetError(fileName, `${expected} data bytes, as the header announces [${dims.join(' × ')}]`,
      `${got}: ${got - expected} unexpected bytes after the data`, 'corrupt, or not the file it claims to be');
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + header, expected) };
}

/** Reads and parses an IDX file from disk, gunzipping it first when it is gzip-compressed. */
export function readIdxFile(filePath: string, expectedMagic?: number | readonly number[]): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(filePath);
  } catch (e) {
    throw new DatasetError(filePath, 'a readable IDX file', `cannot read IDX file (${(e as Error).message})`);
  }
  return parseIdx(maybeGunzip(bytes, filePath), filePath, expectedMagic);
}

/** Uint8 images from an IDX images file: count, rows, cols, channels and the [count·rows·cols·channels] pixels. */
export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** 1 for the usual [count, rows, cols] file; C for a [count, rows, cols, C] file (e.g. 3 for RGB). */
  channels: number;
  pixels: Uint8Array;
}

/**
 * Reads an IDX images file: [count, rows, cols] (magic 0x00000803, grayscale) or [count, rows, cols,
 * channels] (magic 0x00000804, channels last), optionally checking the image size.
 */
export function readIdxImages(filePath: string, expectSize?: readonly [number, number]): IdxImages {
  const { dims, data } = readIdxFile(filePath, [IDX_IMAGES_MAGIC, IDX_IMAGES_C_MAGIC]);
  const [count, rows, cols, channels = 1] = dims;
  if (expectSize && (rows !== expectSize[0] || cols !== expectSize[1])) {
    throw new DatasetError(filePath, `${expectSize[0]}×${expectSize[1]} images`, `${rows}×${cols}`);
  }
  return { count, rows, cols, channels, pixels: data };
}

/** Reads an IDX labels file (magic 0x00000801). */
export function readIdxLabels(filePath: string): Uint8Array {
  return readIdxFile(filePath, IDX_LABELS_MAGIC).data;
}
