/**
 * Command-line options on top of Node's own `util.parseArgs` (it splits `--name value`, `--name=value`,
 * boolean flags, `--` and positionals); this file adds what it leaves out — integer/number values,
 * choices, help text — and turns every mistake into a one-line UsageError (exit code 2).
 * Why util.parseArgs: it ships with Node (no dependency to keep up), the project's scripts already use
 * it, and unlike commander it gives `--no-figures` no special meaning beside `--figures DIR`.
 */
import { parseArgs as nodeParseArgs } from 'util';

/** How one option is read. */
export interface OptionSpec {
  /** 'string' | 'number' | 'integer' take a value; 'boolean' does not. */
  type: 'string' | 'number' | 'integer' | 'boolean';
  /** One line for `--help`. */
  help: string;
  /** Allowed values for a string option. */
  choices?: readonly string[];
  /** Default value (shown in help). */
  default?: string | number | boolean;
}

/** Parsed options (by name, without dashes) and positional arguments. */
export interface ParsedArgs {
  options: Record<string, string | number | boolean | undefined>;
  positionals: string[];
}

/** A usage error: printed as one line with exit code 2. */
export class UsageError extends Error {}

/** The typed value of option `name` from its raw string, or a UsageError naming the option and the value. */
function typedValue(name: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name}: expected one of ${spec.choices.join(', ')}, got '${raw}'`);
    return raw;
  }
  const v = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(v) || (spec.type === 'integer' && !Number.isInteger(v))) {
    throw new UsageError(`--${name}: expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got '${raw}'`);
  }
  return v;
}

/** Parses `argv` against `specs`; unknown options, missing or malformed values are UsageErrors. */
export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>, command: string): ParsedArgs {
  const config = Object.fromEntries(Object.entries(specs).map(([name, s]) => [name, { type: s.type === 'boolean' ? 'boolean' as const : 'string' as const }]));
  // Not strict: the tokens say what was given, and the errors below name the command and the expected options.
  const { tokens, positionals } = nodeParseArgs({ args: [...argv], options: config, strict: false, allowPositionals: true, tokens: true });
  const options: ParsedArgs['options'] = {};
  for (const [name, s] of Object.entries(specs)) if (s.default !== undefined) options[name] = s.default;
  for (const t of tokens) {
    if (t.kind !== 'option') continue;
    const spec = Object.hasOwn(specs, t.name) ? specs[t.name] : undefined;
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option ${t.rawName} for 'qkc ${command}' (expected one of: ${known || 'none'})`);
    }
    if (spec.type === 'boolean') {
      if (t.value !== undefined) throw new UsageError(`--${t.name} takes no value, got '${t.value}'`);
      options[t.name] = true;
      continue;
    }
    // A following '--option' is a forgotten value, not the value; '-1' is a value.
    if (t.value === undefined || (!t.inlineValue && t.value.startsWith('--'))) throw new UsageError(`--${t.name} needs a value (${spec.help})`);
    options[t.name] = typedValue(t.name, spec, t.value);
  }
  return { options, positionals };
}

/** The help text of a command's options. */
export function formatOptions(specs: Record<string, OptionSpec>): string {
  return Object.entries(specs)
    .map(([name, s]) => {
      const value = s.type === 'boolean' ? '' : s.choices ? ` <${s.choices.join('|')}>` : ` <${s.type}>`;
      const def = s.default !== undefined && s.type !== 'boolean' ? ` (default ${s.default})` : '';
      return `  --${name}${value}\n      ${s.help}${def}`;
    })
    .join('\n');
}
