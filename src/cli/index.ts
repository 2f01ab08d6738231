/**
 * The `qkc` command line. Errors are one clear line and a non-zero exit (2 for usage errors), with the
 * stack only when QKC_DEBUG=1.
 */
import { UsageError, formatOptions, parseArgs } from './args';
import { Command } from './command';
import { infoCommand } from './info';
import { demoCommand } from './demo';
import { trainCommand } from './train';
import { evalCommand } from './eval';
import { modelsCommand } from './models';
import { dataCommand } from './data';
import { reproduceCommand } from './reproduce';
import { workerCommand } from './worker';
import { figuresCommand } from './figures';
import { resultsCommand } from './results';
import { noiseEvalCommand } from './noise-eval';

/** Every command, in the order `qkc --help` lists them. */
export const COMMANDS: Command[] = [infoCommand, demoCommand, modelsCommand, trainCommand, evalCommand, noiseEvalCommand, reproduceCommand, workerCommand, resultsCommand, figuresCommand, dataCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return ['usage: qkc <command> [options]   (qkc <command> --help for its options)', '', 'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** Runs the CLI on `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') { console.log(usage()); return 0; }
    const cmd = COMMANDS.find((c) => c.name === name);
    if (!cmd) throw new UsageError(`unknown command '${name}' (expected one of: ${COMMANDS.map((c) => c.name).join(', ')})`);
    if (rest.includes('--help') || rest.includes('-h')) {
      console.log(`usage: qkc ${cmd.name}${cmd.positionals ? ` ${cmd.positionals}` : ''} [options]\n${cmd.summary}\n\n${formatOptions(cmd.options) || '  (no options)'}`);
      return 0;
    }
    await cmd.run(parseArgs(rest, cmd.options, cmd.name));
    return 0;
  } catch (e) {
    const err = e as Error;
    if (process.env.QKC_DEBUG === '1') console.error(err.stack);
    // One line, always: multi-line messages (e.g. the trainer's resume refusal) are joined.
    console.error(`qkc: error: ${String(err.message).trim().replace(/\s*\n\s*/g, ' ')}`);
    return e instanceof UsageError ? 2 : 1;
  }
}
