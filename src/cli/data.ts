/** `qkc data download NAME`: fetch MNIST or Fashion-MNIST IDX files (needs internet). */
import { DATASETS, defaultDataDir, downloadDataset, isDatasetName } from '../data';
import { UsageError } from './args';
import { Command } from './command';

/** Downloads a named dataset's four verified .gz files; see `qkc data --help`. */
export const dataCommand: Command = {
  name: 'data',
  summary: `download datasets: qkc data download ${Object.keys(DATASETS).join('|')} [--dir D]`,
  positionals: `download <${Object.keys(DATASETS).join('|')}>`,
  options: {
    dir: { type: 'string', help: `data directory (files go to <dir>/<name>/; default ${defaultDataDir()}, or $QKC_DATA_DIR)` },
    force: { type: 'boolean', help: 'download again even if verified files are present' },
  },
  async run(args) {
    const [action, name, ...rest] = args.positionals;
    if (action !== 'download') throw new UsageError(`'qkc data' expects the action 'download', got ${action === undefined ? 'none' : `'${action}'`}`);
    if (name === undefined) throw new UsageError(`'qkc data download' needs a dataset name: ${Object.keys(DATASETS).join(' or ')}`);
    if (!isDatasetName(name)) throw new UsageError(`unknown dataset '${name}' (expected ${Object.keys(DATASETS).join(' or ')})`);
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}' for 'qkc data download'`);
    const dir = args.options.dir ? String(args.options.dir) : defaultDataDir();
    const r = await downloadDataset(name, dir, { force: args.options.force === true, log: (m) => console.log(m) });
    console.log(`${name}: ${r.downloaded.length} file(s) downloaded, ${r.kept.length} already present, in ${r.dir}`);
  },
};
