/**
 * Fetches a named dataset's four official .gz files into `<dataDir>/<name>/` for users with internet.
 * Each file is checked (MD5 of the official file, then gunzip + IDX header) before it is renamed into
 * place, so an interrupted or bad download never leaves a file that loaders would pick up.
 */
import * as crypto from 'crypto';
import { writeFileAtomic } from '../util/atomic';
import * as fs from 'fs';
import * as path from 'path';
import { DATASETS, DatasetName, defaultDataDir, isDatasetName } from './datasets';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, maybeGunzip, parseIdx } from './idx';

/** Options of `downloadDataset`. */
export interface DownloadOptions {
  /** Base URLs to try instead of the registry's mirrors (each must end with '/'). */
  mirrors?: readonly string[];
  /** Download again even when a verified file is already there. */
  force?: boolean;
  /** Progress messages (default: none). */
  log?: (message: string) => void;
}

/** What `downloadDataset` did. */
export interface DownloadResult {
  /** The dataset folder, ready for `loadDataset(name, { dataDir })`. */
  dir: string;
  /** Files downloaded now. */
  downloaded: string[];
  /** Files that were already present and verified. */
  kept: string[];
}

function md5(bytes: Uint8Array): string {
  return crypto.createHash('md5').update(bytes).digest('hex');
}

/** Checks a downloaded .gz file's MD5 and IDX content; throws a message naming the file otherwise. */
function verify(file: string, bytes: Uint8Array, expectedMd5: string): void {
  const got = md5(bytes);
  if (got !== expectedMd5) throw new Error(`MD5 ${got}, expected ${expectedMd5} (${bytes.length} bytes)`);
  const isImages = file.includes('images');
  const { dims } = parseIdx(maybeGunzip(bytes, file), file, isImages ? IDX_IMAGES_MAGIC : IDX_LABELS_MAGIC);
  const count = file.startsWith('train') ? 60000 : 10000;
  const expectDims = isImages ? [count, 28, 28] : [count];
  if (dims.join(',') !== expectDims.join(',')) {
    throw new Error(`${file}: expected dimensions [${expectDims.join(', ')}], got [${dims.join(', ')}]`);
  }
}


/**
 * Downloads 'mnist' or 'fashion-mnist' into `<dataDir>/<name>/` (default data dir: `defaultDataDir()`),
 * trying each mirror in turn per file. Needs internet; never used by the tests.
 */
export async function downloadDataset(
  name: DatasetName,
  dataDir: string = defaultDataDir(),
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  if (!isDatasetName(name)) {
    throw new Error(`downloadDataset(name): expected ${Object.keys(DATASETS).join(' or ')}, got '${name}'`);
  }
  const info = DATASETS[name];
  const mirrors = options.mirrors ?? info.mirrors;
  const log = options.log ?? (() => undefined);
  const dir = path.join(path.resolve(dataDir), name);
  fs.mkdirSync(dir, { recursive: true });
  const result: DownloadResult = { dir, downloaded: [], kept: [] };
  for (const [file, expectedMd5] of Object.entries(info.md5)) {
    const dest = path.join(dir, file);
    if (!options.force && fs.existsSync(dest)) {
      try {
        verify(file, fs.readFileSync(dest), expectedMd5);
        result.kept.push(dest);
        log(`${dest}: present and verified`);
        continue;
      } catch (e) {
        log(`${dest}: present but fails verification (${(e as Error).message}); downloading again`);
      }
    }
    const failures: string[] = [];
    let done = false;
    for (const mirror of mirrors) {
      const url = mirror + file;
      try {
        log(`fetching ${url}`);
        const response = await fetch(url);
        if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
        const bytes = new Uint8Array(await response.arrayBuffer());
        verify(file, bytes, expectedMd5);
        await writeFileAtomic(dest, bytes);
        result.downloaded.push(dest);
        log(`${dest}: ${bytes.length} bytes, verified`);
        done = true;
        break;
      } catch (e) {
        failures.push(`${url}: ${(e as Error).message}`);
      }
    }
    if (!done) throw new Error(`${name}: could not download ${file}; tried ${failures.join('; ')}`);
  }
  return result;
}
