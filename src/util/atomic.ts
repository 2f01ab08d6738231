/**
 * Atomic file writes: readers see either the old file or the complete new one, never a partial write.
 * The bytes go to a temporary file in the same directory (so rename stays on one filesystem), are
 * flushed to disk, and the temporary file is then renamed over the target (atomic on POSIX). The directory
 * is then fsynced too: the rename is an update of the directory, and without that flush a crash can
 * leave the old file (or none) behind even though the call returned.
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
  const created = await fsp.mkdir(dir, { recursive: true });
  // A directory made here is itself an entry of its parent: flush that entry as well.
  if (created !== undefined) await syncDirectory(path.dirname(created));
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
  await syncDirectory(dir);
}

/**
 * fsyncs directory `dir` so that renames and new entries in it survive a crash. Where directories cannot
 * be opened or synced (Windows; some network filesystems answer EINVAL/ENOTSUP) it does nothing.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(dir, 'r');
  } catch (e) {
    if (process.platform === 'win32' || (e as NodeJS.ErrnoException).code === 'EISDIR') return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EPERM') throw e;
  } finally {
    await handle.close();
  }
}
