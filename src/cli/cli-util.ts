/** Small helpers shared by the qkc commands: required options, positional checks, dataset arguments. */
import type { SubsetOptions } from '../data';
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
};

/** SubsetOptions from --limit / --train-size / --test-size. */
export function subsetFromArgs(args: ParsedArgs): SubsetOptions {
  const o: SubsetOptions = {};
  if (args.options.limit !== undefined) o.limit = args.options.limit as number;
  if (args.options['train-size'] !== undefined) o.trainSize = args.options['train-size'] as number;
  if (args.options['test-size'] !== undefined) o.testSize = args.options['test-size'] as number;
  return o;
}
