/** `qkc models`: the model zoo with parameter counts split quantum / classical. */
import { ready } from '../backend';
import { MODELS, parameterSplit } from '../models';
import { checkPositionals } from './cli-util';
import { Command } from './command';

/** Builds every model once (seed 0) to count its parameters and prints a table; see `qkc models --help`. */
export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the models with their parameter counts (quantum / classical)',
  options: {
    json: { type: 'boolean', help: 'print the list as JSON' },
  },
  async run(args) {
    checkPositionals(args, 'models');
    await ready();
    const rows = MODELS.map((m) => {
      const model = m.builder(0);
      const p = parameterSplit(model);
      model.dispose();
      return { name: m.name, family: m.family, parameters: p, controls: m.controls ?? null, description: m.description };
    });
    if (args.options.json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    const w = Math.max(...rows.map((r) => r.name.length));
    console.log(`${'model'.padEnd(w)}  family     quantum  frozen  classical   total  architecture`);
    for (const r of rows) {
      const p = r.parameters;
      console.log(`${r.name.padEnd(w)}  ${r.family.padEnd(9)}  ${String(p.quantum).padStart(7)}  ${String(p.frozenQuantum ?? 0).padStart(6)}  ${String(p.classical).padStart(9)}  ${String(p.total).padStart(6)}  ${r.description}`);
    }
    console.log('quantum: trainable angles (only angles that affect the output are built and counted); frozen: fixed quantum angles of the frozen-kernel twins, not in total');
    for (const r of rows) {
      if (r.controls) console.log(`${r.name} is compared with ${r.controls.sameShape} (same shape, classical kernel) and ${r.controls.paramMatched} (parameter-matched CNN)`);
    }
  },
};
