import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { mergePeersFile, peerCaseOrder, progressFor, withProgress, type CaseProgress, type PeersFile, type PeersHeader, type SavedPeerCase } from '../bench/peers-file';

const machine = (load: number) => ({ before: { loadavg1: load, cores: 2 }, after: { loadavg1: load, cores: 2 } });
const header = (date: string, rounds: number, load: number): PeersHeader => ({ workload: 'peers', date, machine: machine(load), rounds, complete: false });
const mnist = 'qkc-mnist-batch (12,544 patches × 4 qubits)';
const scaling = (n: number, batch: number, date: string, load: number): SavedPeerCase =>
  ({ case: `scaling ${n} qubits × batch ${batch}`, n, batch, contenders: { 'qkc default': { forward: { median: n * batch } } }, load, rounds: 3, date });
const mnistCase = (date: string, load: number): SavedPeerCase => ({ case: mnist, n: 4, batch: 12544, contenders: {}, load, rounds: 5, date });

describe('bench peers.json merge (bench/peers-file.ts)', () => {
  const old: PeersFile = {
    ...header('2026-01-01T00:00:00.000Z', 3, 8), epoch: { images: 3200 },
    cases: [mnistCase('2026-01-01T00:01:00.000Z', 18), scaling(4, 1, '2026-01-01T00:02:00.000Z', 9), scaling(8, 64, '2026-01-01T00:03:00.000Z', 6)],
  };

  it('a full run replaces the cases it measured and keeps the others with their own date and load, in table order', () => {
    const run = { header: header('2026-02-02T00:00:00.000Z', 3, 4), cases: [scaling(16, 1, '2026-02-02T00:05:00.000Z', 4), scaling(4, 1, '2026-02-02T00:04:00.000Z', 3)], partial: false };
    const merged = mergePeersFile(old, run);
    assert.deepEqual(merged.cases.map((c) => [c.case, c.date, c.load]), [
      [mnist, '2026-01-01T00:01:00.000Z', 18],
      ['scaling 4 qubits × batch 1', '2026-02-02T00:04:00.000Z', 3],
      ['scaling 16 qubits × batch 1', '2026-02-02T00:05:00.000Z', 4],
      ['scaling 8 qubits × batch 64', '2026-01-01T00:03:00.000Z', 6],
    ]);
    assert.equal(merged.date, '2026-02-02T00:00:00.000Z'); // the header is this run's
    assert.deepEqual(merged.epoch, { images: 3200 });
    assert.equal(merged.updated, undefined);
  });

  it('--replace keeps only this run\'s cases (and the epoch case until it runs again)', () => {
    const run = { header: header('2026-02-02T00:00:00.000Z', 3, 4), cases: [scaling(4, 1, '2026-02-02T00:04:00.000Z', 3)], partial: false };
    const replaced = mergePeersFile(old, run, true);
    assert.deepEqual(replaced.cases.map((c) => c.case), ['scaling 4 qubits × batch 1']);
    assert.deepEqual(replaced.epoch, { images: 3200 });
  });

  it('a partial run keeps the earlier header and records itself in `updated`; with no earlier file it writes its own header', () => {
    const run = { header: header('2026-03-03T00:00:00.000Z', 5, 17), cases: [mnistCase('2026-03-03T00:09:00.000Z', 19)], partial: true };
    const merged = mergePeersFile(old, run);
    assert.equal(merged.date, old.date);
    assert.deepEqual(merged.updated, { date: '2026-03-03T00:00:00.000Z', cases: [mnist], machine: machine(17), rounds: 5 });
    assert.deepEqual(merged.cases.map((c) => [c.case, c.load]), [[mnist, 19], ['scaling 4 qubits × batch 1', 9], ['scaling 8 qubits × batch 64', 6]]);
    const alone = mergePeersFile(undefined, run);
    assert.equal(alone.date, '2026-03-03T00:00:00.000Z');
    assert.equal(alone.updated, undefined);
  });

  it('merges into the committed bench/results/peers.json: the cases not re-measured stay byte for byte', () => {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'bench', 'results', 'peers.json'), 'utf8')) as PeersFile;
    assert.ok(file.cases.length > 2);
    const target = file.cases[file.cases.length - 1];
    const fresh = { ...target, load: 0.5, date: '2030-01-01T00:00:00.000Z' };
    const merged = mergePeersFile(file, { header: header('2030-01-01T00:00:00.000Z', 3, 0.5), cases: [fresh], partial: false });
    assert.equal(merged.cases.length, file.cases.length);
    for (const c of file.cases.filter((x) => x.case !== target.case)) assert.deepEqual(merged.cases.find((m) => m.case === c.case), c);
    assert.deepEqual(merged.cases.find((m) => m.case === target.case), fresh);
    assert.deepEqual(merged.epoch, file.epoch);
    assert.deepEqual(peerCaseOrder(file.cases).map((c) => c.case), file.cases.map((c) => c.case)); // the saved order is table order
  });

  describe('a case resumed round by round (--resume)', () => {
    const samples = (k: number) => ({ forward: Array.from({ length: k }, (_, i) => i + 1), forward_grad: Array.from({ length: k }, (_, i) => 10 * (i + 1)) });
    const big: CaseProgress = {
      case: 'scaling 24 qubits × batch 64', rounds: 1, loads: [1.2], dates: ['2026-12-07T11:00:00.000Z'],
      contenders: { 'qkc adjoint': { samples: samples(1) }, 'pennylane-lightning': { agreement: { out: 0, grad: 4e-8 }, samples: samples(1) } },
    };
    const other: CaseProgress = { ...big, case: 'scaling 20 qubits × batch 64' };

    it('continues only a case timed with the same contenders', () => {
      assert.equal(progressFor([other, big], big.case, ['pennylane-lightning', 'qkc adjoint']), big);
      assert.equal(progressFor([other, big], big.case, ['qkc adjoint']), undefined, 'a contender fewer: start afresh');
      assert.equal(progressFor([other, big], big.case, ['qkc adjoint', 'pennylane-lightning', 'qkc default']), undefined, 'one more');
      assert.equal(progressFor([other], big.case, ['qkc adjoint', 'pennylane-lightning']), undefined, 'never started');
    });

    it('replaces a case\'s entry after a round and drops it when the case finishes, keeping the others', () => {
      const next = { ...big, rounds: 2, contenders: { ...big.contenders, 'qkc adjoint': { samples: samples(2) } } };
      assert.deepEqual(withProgress([big, other], big.case, next).map((e) => [e.case, e.rounds]), [[other.case, 1], [big.case, 2]]);
      assert.deepEqual(withProgress([big, other], big.case, undefined).map((e) => e.case), [other.case]);
    });
  });
});

