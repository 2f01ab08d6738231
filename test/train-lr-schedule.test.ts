// Learning-rate schedules: factors against hand-computed values, typed errors, and the trainer applying them
// (updates scaled, resume exact, run config and hash unchanged for a constant rate).
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { Adam, lrFactor, resolveLrSchedule, train, type LrSchedule, type TrainOptions } from '../src/train';
import type { EpochRecord } from '../src/train';
import { ArgumentError } from '../src/util/errors';
import { blobData, disposeData, tinyModel, tmpDir, weightBytes } from './train-fixtures';

/** Epoch records with the given validation accuracies (and val_loss = 1 − accuracy). */
function history(valAccuracy: number[]): EpochRecord[] {
  return valAccuracy.map((a, i) => ({
    epoch: i + 1, loss: 0, accuracy: 0, val_loss: 1 - a, val_accuracy: a, epoch_time_s: 0, val_time_s: 0, circuit_executions: 0, val_circuit_executions: 0,
  }));
}
const factors = (s: LrSchedule, epochs: number, h: EpochRecord[] = []): number[] =>
  Array.from({ length: epochs }, (_, i) => lrFactor(s, i + 1, h));

describe('train: learning-rate schedules', () => {
  it('constant is 1 every epoch, and the default', () => {
    assert.deepEqual(factors(resolveLrSchedule(undefined), 4), [1, 1, 1, 1]);
  });

  it('exponential multiplies by decay after every epoch, floored at minFactor', () => {
    const got = factors({ kind: 'exponential', decay: 0.8 }, 4);
    [1, 0.8, 0.64, 0.512].forEach((want, i) => assert.ok(Math.abs(got[i] - want) < 1e-12, `epoch ${i + 1}: ${got[i]} vs ${want}`));
    assert.deepEqual(factors({ kind: 'exponential', decay: 0.5, minFactor: 0.2 }, 4), [1, 0.5, 0.25, 0.2]);
  });

  it('step multiplies by factor every `every` epochs', () => {
    assert.deepEqual(factors({ kind: 'step', every: 2, factor: 0.5 }, 5), [1, 1, 0.5, 0.5, 0.25]);
  });

  it('plateau replays the history: reduce after `patience` epochs without improvement, then count afresh', () => {
    // e1 .90 best; e2 .92 best; e3 .92 (no) → reduce; e4 .91 (no) → reduce; e5 .93 best; e6 .93 (no) → reduce.
    const h = history([0.9, 0.92, 0.92, 0.91, 0.93, 0.93]);
    assert.deepEqual(factors({ kind: 'plateau', monitor: 'val_accuracy', patience: 1, factor: 0.5 }, 7, h), [1, 1, 1, 0.5, 0.25, 0.25, 0.125]);
    // patience 2: e3 waits 1, e4 waits 2 → reduce; e5 improves; e6 waits 1.
    assert.deepEqual(factors({ kind: 'plateau', monitor: 'val_accuracy', patience: 2, factor: 0.5 }, 7, h), [1, 1, 1, 1, 0.5, 0.5, 0.5]);
    // val_loss (lower is better) = 1 − accuracy: the same epochs improve, so the same factors.
    assert.deepEqual(factors({ kind: 'plateau', monitor: 'val_loss', patience: 1, factor: 0.5 }, 7, h), [1, 1, 1, 0.5, 0.25, 0.25, 0.125]);
    assert.throws(() => lrFactor({ kind: 'plateau', monitor: 'val_accuracy', patience: 1, factor: 0.5 }, 4, h.slice(0, 2)), ArgumentError);
  });

  it('refuses bad schedules with a typed error naming the field', () => {
    const bad: Array<[unknown, string]> = [
      [{ kind: 'exponential', decay: 1.2 }, 'lrSchedule.decay'],
      [{ kind: 'exponential', decay: 0 }, 'lrSchedule.decay'],
      [{ kind: 'cosine' }, 'lrSchedule.kind'],
      [{ kind: 'step', every: 0, factor: 0.5 }, 'lrSchedule.every'],
      [{ kind: 'exponential', decay: 0.5, every: 2 }, 'lrSchedule'],
      [{ kind: 'plateau', monitor: 'loss', patience: 1, factor: 0.5 }, 'lrSchedule.monitor'],
      ['fast', 'lrSchedule'],
    ];
    for (const [value, argument] of bad) {
      assert.throws(() => resolveLrSchedule(value), (e: unknown) => e instanceof ArgumentError && e.argument === argument, JSON.stringify(value));
    }
    assert.throws(() => lrFactor({ kind: 'constant' }, 0), ArgumentError);
  });

  it('Adam.lrScale scales the update (a first Adam step is proportional to the rate)', () => {
    const step = (scale: number): number[] => {
      const x = tf.variable(tf.tensor1d([1, -2, 3]));
      const adam = new Adam([{ name: 'classical', variables: [x], learningRate: 0.1 }]);
      adam.lrScale = scale;
      adam.applyGradients({ [x.name]: tf.tensor1d([0.5, -1, 2]) });
      const moved = Array.from(tf.sub(x, tf.tensor1d([1, -2, 3])).dataSync());
      adam.dispose();
      x.dispose();
      return moved;
    };
    const full = step(1);
    const half = step(0.5);
    full.forEach((d, i) => assert.ok(Math.abs(half[i] - d / 2) < 1e-6, `element ${i}: ${half[i]} vs ${d / 2}`));
    assert.ok(full.every((d) => Math.abs(Math.abs(d) - 0.1) < 1e-4), `a first Adam step moves each weight by the rate: ${full}`);
  });

  describe('in the trainer', () => {
    const data = blobData(60, 24);
    after(() => disposeData(data));
    const BASE: TrainOptions = { epochs: 3, batchSize: 8, learningRate: 0.02, seed: 3, progress: 'none' };
    const decay: LrSchedule = { kind: 'exponential', decay: 0.25 };

    it('epoch 1 is as without a schedule, later epochs differ; the config records the schedule only when it is not constant', async () => {
      const runs = [];
      for (const lrSchedule of [undefined, { kind: 'constant' } as LrSchedule, decay]) {
        const model = tinyModel({ seed: 5 });
        const r = await train(model, data, { ...BASE, outDir: tmpDir(), ...(lrSchedule ? { lrSchedule } : {}) });
        runs.push({ history: r.history.map((h) => [h.loss, h.val_loss]), config: r.config!, hash: r.configHash });
        model.dispose();
      }
      const [none, constant, decayed] = runs;
      assert.deepEqual(constant.history, none.history);
      assert.equal(constant.hash, none.hash, 'an explicit constant schedule leaves the config hash as before');
      assert.ok(!('lrSchedule' in none.config) && !('lrSchedule' in constant.config));
      assert.deepEqual(decayed.history[0], none.history[0]);
      assert.notDeepEqual(decayed.history[1], none.history[1]);
      assert.deepEqual(decayed.config.lrSchedule, decay);
      assert.notEqual(decayed.hash, none.hash);
    });

    it('an interrupted run with a plateau schedule resumes to exactly the uninterrupted weights', async () => {
      const plateau: LrSchedule = { kind: 'plateau', monitor: 'val_loss', patience: 1, factor: 0.5 };
      const opts: TrainOptions = { ...BASE, epochs: 4, lrSchedule: plateau };
      const ref = tinyModel({ seed: 5 });
      await train(ref, data, { ...opts, outDir: tmpDir() });
      const dir = tmpDir();
      const m1 = tinyModel({ seed: 5 });
      await train(m1, data, { ...opts, outDir: dir, onEpochEnd: (rec, c) => { if (rec.epoch === 2) c.stop(); } });
      m1.dispose();
      const m2 = tinyModel({ seed: 99 });
      const r2 = await train(m2, data, { ...opts, outDir: dir, resume: true });
      assert.equal(r2.resumedFrom, 2);
      const [a, b] = [weightBytes(ref), weightBytes(m2)];
      a.forEach((x, i) => assert.ok(x.equals(b[i]), `weight ${i} differs after resume`));
      ref.dispose();
      m2.dispose();
    });
  });
});
