/**
 * Typed errors for bad arguments and inputs. Every message reads `<argument>: expected <what>, got <what came>`
 * so a user sees which argument to fix, and callers can tell the kind of failure apart by class, not by text.
 */

/** A bad argument or input value: names the argument, what was expected and what came. */
export class ArgumentError extends Error {
  /** The argument (option, field or file) at fault, e.g. '--data-dir' or 'labels'. */
  readonly argument: string;
  /** What would have been accepted. */
  readonly expected: string;
  /** What came instead, quoted as the user gave it. */
  readonly got: string;

  /** `detail` is an optional hint appended after a semicolon (what to do about it). */
  constructor(argument: string, expected: string, got: string, detail?: string) {
    super(`${argument}: expected ${expected}, got ${got}${detail ? `; ${detail}` : ''}`);
    this.name = new.target.name;
    this.argument = argument;
    this.expected = expected;
    this.got = got;
  }
}
