/** A small, strict command-line parser: `--name value`, `--name=value`, boolean `--flag`, positionals. */

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

/** Parses `argv` against `specs`; unknown options, missing or malformed values are UsageErrors. */
export function parseArgs(argv: readonly string[], specs: Record<string, OptionSpec>, command: string): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  for (const [name, s] of Object.entries(specs)) if (s.default !== undefined) options[name] = s.default;
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { positionals.push(arg); continue; }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option --${name} for 'qkc ${command}' (expected one of: ${known || 'none'})`);
    }
    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value, got '${arg.slice(eq + 1)}'`);
      options[name] = true;
      continue;
    }
    const raw = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (raw === undefined || (eq < 0 && raw.startsWith('--'))) throw new UsageError(`--${name} needs a value (${spec.help})`);
    if (spec.type === 'string') {
      if (spec.choices && !spec.choices.includes(raw)) throw new UsageError(`--${name}: expected one of ${spec.choices.join(', ')}, got '${raw}'`);
      options[name] = raw;
    } else {
      const v = Number(raw);
      if (!Number.isFinite(v) || (spec.type === 'integer' && !Number.isInteger(v))) {
        throw new UsageError(`--${name}: expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got '${raw}'`);
      }
      options[name] = v;
    }
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
