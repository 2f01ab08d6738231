/**
 * The fuzzing suite (issue 16): seeded grammar-aware and mutated OpenQASM 2/3 programs and generated hostile
 * API calls and command lines. Rule: every outcome is a result (no NaN) or a qkc error, within a time bound;
 * no RangeError/TypeError from the internals, no hang, no crash. Larger runs: `npm run fuzz -- --count N --seed S`.
 */
import { strict as assert } from 'assert';
import { addCounts, formatCounts, fuzzApi, fuzzCli, fuzzQasm, judge, type FuzzCounts } from './fuzz/fuzz';
import { API_REGRESSIONS, QASM_REGRESSIONS } from './fuzz/regressions';
import { fromQasm } from '../src/sim';

const SEED = Number(process.env.QKC_FUZZ_SEED ?? 16);
const failuresOf = (c: FuzzCounts) => c.failures.slice(0, 5).map((f) => `${f.target}: ${f.outcome}\n    input: ${f.input.slice(0, 300)}`).join('\n');

describe('fuzzing suite (issue 16)', function () {
  this.timeout(300_000);
  let total: FuzzCounts | undefined;
  const add = (label: string, c: FuzzCounts) => {
    // eslint-disable-next-line no-console
    console.log(`    ${formatCounts(label, c)}`);
    total = total ? addCounts(total, c) : c;
    assert.equal(c.other, 0, `${c.other} input(s) broke the rule:\n${failuresOf(c)}`);
  };

  it('regression cases: every input that once broke qkc ends in a result or a typed error, fast', () => {
    const c: FuzzCounts = { inputs: 0, typed: 0, untyped: 0, results: 0, other: 0, ms: 0, failures: [], untypedMessages: [] };
    for (const r of QASM_REGRESSIONS) judge(c, `qasm regression (${r.why})`, () => r.source, () => fromQasm(r.source), 100);
    for (const r of API_REGRESSIONS) judge(c, `api regression (${r.why})`, () => r.why, r.run, 100);
    add('regressions', c);
    assert.equal(c.untyped, 0, c.untypedMessages.join('\n'));
  });

  it('10,000 generated OpenQASM 2/3 programs (grammar-aware, mutated, hostile)', () => {
    const c = fuzzQasm(10_000, SEED);
    add('qasm', c);
    assert.equal(c.untyped, 0, c.untypedMessages.slice(0, 5).join('\n'));
    assert.ok(c.results > 1000 && c.typed > 1000, 'the generator reaches both valid and invalid programs');
  });

  it('generated hostile API calls: Circuit, expval, sample, QuantumConv2D, QuantumPooling, the IDX reader', () => {
    add('api', fuzzApi(Number(process.env.QKC_FUZZ_API ?? 300), SEED));
  });

  it('generated command lines through the CLI', async () => {
    add('cli', await fuzzCli(Number(process.env.QKC_FUZZ_CLI ?? 150), SEED));
  });

  after(() => {
    // eslint-disable-next-line no-console
    if (total) console.log(`    ${formatCounts('fuzzing total', total)}`);
  });
});
