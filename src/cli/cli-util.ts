/** Small helpers shared by the qkc commands: required options, positional checks, dataset arguments. */
import { DatasetError, type SubsetOptions, type TrainTestSplit } from '../data';
import { openDataset, type DatasetRef } from '../experiments';
import { UsageError, type OptionSpec, type ParsedArgs } from './args';

/** The string value of a required option, or a UsageError naming it. */
export function requireOption(args: ParsedArgs, name: string, command: string): string {
  const v = args.options[name];
  if (v === undefined || v === '') throw new UsageError(`'qkc ${command}' needs --${name}`);
  return String(v);
}

/** Rejects positional arguments beyond `allowed` (a stray word is usually a forgotten '--'). */
export function checkPositionals(args: ParsedArgs, command: string, allowed = 0): void {
  if (args.positionals.length > allowed) {
    throw new UsageError(`unexpected argument '${args.positionals[allowed]}' for 'qkc ${command}' (options start with --)`);
  }
}

/** A comma-separated list option as trimmed non-empty items (undefined when absent). */
export function listOption(args: ParsedArgs, name: string): string[] | undefined {
  const v = args.options[name];
  if (v === undefined) return undefined;
  const items = String(v).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`--${name}: expected a comma-separated list, got '${v}'`);
  return items;
}

/** The subset options every data-reading command takes. */
export const SUBSET_OPTIONS: Record<string, OptionSpec> = {
  limit: { type: 'integer', help: 'use only this many images in all, a stratified subset shared train/test in the split ratio' },
  'train-size': { type: 'integer', help: 'use a stratified subset of this many training images' },
  'test-size': { type: 'integer', help: 'use a stratified subset of this many test images' },
  'validation-size': { type: 'integer', help: 'hold this many training images out to validate each epoch (seeded, stratified; default 5000 for mnist-official, 0 otherwise)' },
};

/** The command-line option of each library argument a DatasetError can name. */
const DATA_OPTION_NAMES: Readonly<Record<string, string>> = Object.freeze({
  dataDir: '--data-dir', dataset: '--dataset', validationSize: '--validation-size', trainSize: '--train-size', testSize: '--test-size', limit: '--limit',
});

/** Opens a run's dataset; a DatasetError about one of the command's options becomes a usage error naming that option (exit 2). */
export function openDatasetArg(ref: DatasetRef): TrainTestSplit {
  try {
    return openDataset(ref);
  } catch (e) {
    const option = e instanceof DatasetError ? DATA_OPTION_NAMES[e.argument] : undefined;
    if (!option) throw e;
    throw new UsageError(`${option}${(e as Error).message.slice((e as DatasetError).argument.length)}`);
  }
}

/** SubsetOptions from --limit / --train-size / --test-size. */
export function subsetFromArgs(args: ParsedArgs): SubsetOptions {
  const o: SubsetOptions = {};
  if (args.options.limit !== undefined) o.limit = args.options.limit as number;
  if (args.options['train-size'] !== undefined) o.trainSize = args.options['train-size'] as number;
  if (args.options['test-size'] !== undefined) o.testSize = args.options['test-size'] as number;
  if (args.options['validation-size'] !== undefined) o.validationSize = args.options['validation-size'] as number;
  return o;
}
