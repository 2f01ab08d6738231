/**
 * Atomic file writes: readers see either the old file or the complete new one, never a partial write.
 * The bytes go to a temporary file in the same directory (so rename stays on one filesystem), are
 * flushed to disk, and the temporary file is then renamed over the target (atomic on POSIX).
 */
import { promises as fsp } from 'fs';
import * as path from 'path';

/** Test hook: runs after the temporary file is complete, before the rename. */
export interface AtomicWriteHooks {
  beforeRename?: (tmpPath: string) => void | Promise<void>;
}

let counter = 0;

/** Writes `data` to `file` atomically, creating the directory if needed; the temp file is removed on failure. */
export async function writeFileAtomic(file: string, data: string | Uint8Array, hooks: AtomicWriteHooks = {}): Promise<void> {
  const dir = path.dirname(file);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.tmp-${process.pid}-${++counter}`);
  let handle: fsp.FileHandle | null = null;
  try {
    handle = await fsp.open(tmp, 'w');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = null;
    if (hooks.beforeRename) await hooks.beforeRename(tmp);
    await fsp.rename(tmp, file);
  } catch (e) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}
