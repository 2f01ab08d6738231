/** The shape of a CLI command. */
import { OptionSpec, ParsedArgs } from './args';

/** One `qkc <name>` command. */
export interface Command {
  name: string;
  /** One line for `qkc --help`. */
  summary: string;
  /** Positional-argument synopsis, e.g. '<dir>' (empty when none). */
  positionals?: string;
  options: Record<string, OptionSpec>;
  run(args: ParsedArgs): Promise<void>;
}
