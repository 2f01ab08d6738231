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

/**
 * An ArgumentError from a message already phrased as `<argument>: …` (the simulator's and pooling's
 * checks): the argument is the text before the first ': ', expected/got are read from
 * `expected …, got …` when the message has that form.
 */
export function badArgument(message: string): ArgumentError {
  const colon = message.indexOf(': ');
  const argument = colon > 0 ? message.slice(0, colon) : 'argument';
  const rest = colon > 0 ? message.slice(colon + 2) : message;
  const m = /^expected (.*?), got (.*)$/s.exec(rest);
  const error = new ArgumentError(argument, m ? m[1] : rest, m ? m[2] : '');
  error.message = message; // keep the wording the checks were written with
  return error;
}
