/** The peers bench's command-line flags, parsed by Node's `util.parseArgs` (an unknown or misspelt flag is an error, not ignored). */
import { parseArgs } from 'util';

/**
 * `--timeout=SECONDS` (each peer call), `--warmup=0` (no untimed first round: for cases whose calls take minutes),
 * `--skip=a,b` (contenders left out), `--resume` (continue a case from its saved rounds), `--replace` (start
 * bench/results/peers.json afresh instead of merging).
 */
export interface PeersFlags { timeoutSeconds?: number; warmup: boolean; skip: string[]; resume: boolean; replace: boolean }

/** The flags among `argv` (the bench runner's arguments: workload names and numbers pass as positionals). */
export function parsePeersFlags(argv: readonly string[]): PeersFlags {
  let values: { timeout?: string; warmup?: string; skip?: string; resume?: boolean; replace?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv], allowPositionals: true, strict: true,
      options: { timeout: { type: 'string' }, warmup: { type: 'string' }, skip: { type: 'string' }, resume: { type: 'boolean' }, replace: { type: 'boolean' } },
    }));
  } catch (e) {
    throw new Error(`peers: ${(e as Error).message} (expected --timeout=SECONDS, --warmup=0|1, --skip=a,b, --resume, --replace)`);
  }
  const { timeout: t, warmup: w } = values;
  if (t !== undefined && !(Number(t) > 0)) throw new Error(`peers(--timeout): expected a positive number of seconds, got ${JSON.stringify(t)}`);
  if (w !== undefined && w !== '0' && w !== '1') throw new Error(`peers(--warmup): expected 0 or 1, got ${JSON.stringify(w)}`);
  return {
    timeoutSeconds: t === undefined ? undefined : Number(t), warmup: w !== '0',
    skip: values.skip?.split(',').filter(Boolean) ?? [], resume: values.resume ?? false, replace: values.replace ?? false,
  };
}
