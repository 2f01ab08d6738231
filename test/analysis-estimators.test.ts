import { strict as assert } from 'assert';
import {
  binnedMutualInformation, confusionMutualInformation, crossEntropyBound, labelEntropy, linearProbe, probeScores, quantileBins,
  summarize, tableMutualInformation,
} from '../src/analysis';
import { seededRandom } from './helpers/reference';

describe('analysis estimators: mutual information', () => {
  it('a label copied into the feature carries H(Y) bits; a constant feature carries none', () => {
    const labels = Array.from({ length: 4000 }, (_, i) => i % 4);
    const mi = binnedMutualInformation(labels.map((y) => y + 0.5), labels, 4, 8);
    assert.ok(Math.abs(mi.plugIn - 2) < 1e-9, `plug-in ${mi.plugIn}`);
    assert.ok(Math.abs(mi.millerMadow - 2) < 1e-3, `Miller–Madow ${mi.millerMadow}`);
    const constant = binnedMutualInformation(new Array(4000).fill(0.3), labels, 4, 8);
    assert.equal(constant.plugIn, 0);
    assert.equal(constant.millerMadow, 0);
  });

  it('for independent data the plug-in value is biased up by ≈ (B−1)(C−1)/(2N ln 2) and Miller–Madow removes it', () => {
    const r = seededRandom(42);
    const N = 400, B = 8, C = 4, reps = 60;
    let plug = 0, mm = 0;
    for (let k = 0; k < reps; k++) {
      const x = Array.from({ length: N }, () => r());
      const y = Array.from({ length: N }, () => Math.floor(r() * C));
      const mi = binnedMutualInformation(x, y, C, B);
      plug += mi.plugIn / reps;
      mm += mi.millerMadow / reps;
    }
    const expected = ((B - 1) * (C - 1)) / (2 * N * Math.LN2);
    assert.ok(Math.abs(plug - expected) < 0.3 * expected, `mean plug-in ${plug} vs predicted bias ${expected}`);
    assert.ok(mm < 0.3 * expected, `Miller–Madow mean ${mm} should be near 0 (≪ ${expected})`);
  });

  it('quantile bins are equal-frequency and keep ties together', () => {
    const b = quantileBins([5, 1, 3, 2, 4, 6, 8, 7], 4);
    assert.deepEqual(Array.from(b), [2, 0, 1, 0, 1, 2, 3, 3]);
    const ties = quantileBins([1, 1, 1, 1, 2, 2, 2, 2], 4);
    assert.equal(new Set(ties.slice(0, 4)).size, 1);
    assert.equal(new Set(ties.slice(4)).size, 1);
    assert.notEqual(ties[0], ties[4]);
    assert.throws(() => quantileBins([1, 2], 1), /bins: expected an integer ≥ 2, got 1/);
  });

  it('confusion-matrix MI, label entropy and the cross-entropy bound', () => {
    const perfect = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 100 : 0)));
    assert.ok(Math.abs(confusionMutualInformation(perfect).plugIn - Math.log2(10)) < 1e-12);
    const uniform = Array.from({ length: 3 }, () => [50, 50, 50]);
    assert.equal(tableMutualInformation(uniform).plugIn, 0);
    assert.ok(Math.abs(labelEntropy([0, 1, 2, 3], 4) - 2) < 1e-12);
    assert.equal(crossEntropyBound(3.32, 1.2), 3.32 - 1.2);
    assert.equal(crossEntropyBound(1, 5), 0);
    assert.throws(() => tableMutualInformation([[-1, 2]]), /non-negative counts, got -1/);
  });
});

describe('analysis estimators: linear probe', () => {
  it('separates linearly separable classes and stays near chance on random labels', () => {
    const r = seededRandom(7);
    const make = (n: number, random: boolean) => {
      const values = new Float32Array(n * 3), labels: number[] = [];
      for (let i = 0; i < n; i++) {
        const y = i % 3;
        labels.push(random ? Math.floor(r() * 3) : y);
        for (let d = 0; d < 3; d++) values[i * 3 + d] = (d === y ? 3 : 0) + 0.3 * (r() - 0.5);
      }
      return { values, rows: n, dim: 3, labels };
    };
    const sep = linearProbe(make(300, false), make(150, false), 3, { steps: 150 });
    assert.equal(sep.testAccuracy, 1);
    assert.ok(sep.testCrossEntropyBits < 0.3, `cross-entropy ${sep.testCrossEntropyBits}`);
    assert.equal(sep.confusion.flat().reduce((a, b) => a + b, 0), 150);
    const rnd = linearProbe(make(300, true), make(300, true), 3, { steps: 150 });
    assert.ok(rnd.testAccuracy < 0.45, `random labels: test accuracy ${rnd.testAccuracy}`);
  });

  it('rejects mismatched shapes and labels', () => {
    const s = { values: new Float32Array(4), rows: 2, dim: 2, labels: [0, 1] };
    assert.throws(() => linearProbe(s, { ...s, dim: 1, values: new Float32Array(2) }, 2), /expected 2 features like the train split, got 1/);
    assert.throws(() => linearProbe({ ...s, labels: [0, 5] }, s, 2), /train\.labels\): expected integers in \[0, 1\], got 5/);
    assert.throws(() => linearProbe({ ...s, values: new Float32Array([0, NaN, 0, 0]) }, s, 2), /finite features, found NaN/);
  });

  it('summaries skip non-finite values', () => {
    const s = summarize([1, 2, 3, NaN, 4]);
    assert.equal(s.n, 4);
    assert.equal(s.mean, 2.5);
    assert.equal(s.median, 2.5);
    assert.ok(Math.abs(s.sd - Math.sqrt(5 / 3)) < 1e-12);
  });
});

describe('analysis estimators: probe scores', () => {
  it('the binomial standard error of the test accuracy and the H(Y) − CE bound, clamped at 0', () => {
    const p = { trainAccuracy: 0.95, testAccuracy: 0.9, trainCrossEntropyBits: 0.1, testCrossEntropyBits: 0.25, confusion: [] };
    // √(0.9 · 0.1 / 100) = 0.03; 1 bit of label entropy − 0.25 bits of cross-entropy = 0.75 bits.
    const s = probeScores(p, 1, 100);
    assert.deepEqual({ ...s, testAccuracySe: Number(s.testAccuracySe.toFixed(12)) },
      { trainAccuracy: 0.95, testAccuracy: 0.9, testAccuracySe: 0.03, testCrossEntropyBits: 0.25, miProbeBoundBits: 0.75 });
    assert.equal(probeScores({ ...p, testCrossEntropyBits: 1.5 }, 1, 100).miProbeBoundBits, 0);
    assert.equal(probeScores({ ...p, testAccuracy: 1 }, 1, 100).testAccuracySe, 0);
  });
});
