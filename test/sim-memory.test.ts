import { strict as assert } from 'assert';
import { measureInChild, PeakCase } from '../bench/memory-peaks';

/**
 * The memory guard's estimate (explainExecution(...).bytes) bounds what a run really takes: each case
 * runs in a fresh child process, whose peak resident memory (VmHWM) minus its resident memory before the
 * run must stay under the estimate. Linux only (/proc); nothing here is skipped.
 */
describe('execution: measured memory stays under the stated estimate', function () {
  this.timeout(600_000);
  const cases: PeakCase[] = [
    { n: 16, batch: 16, task: 'backprop', executor: 'auto' }, // host read-out, adjoint sweep over kept states
    { n: 16, batch: 8, task: 'states-grad', executor: 'auto' }, // host states as tensors, gradient through them
    { n: 12, batch: 8, task: 'backprop', executor: 'tf' }, // tf autodiff tape
    { n: 14, batch: 4, task: 'parameter-shift', executor: 'auto' }, // stacked shifted copies
  ];
  for (const c of cases) {
    it(`${c.n} qubits × batch ${c.batch}, ${c.task} on ${c.executor}`, () => {
      const r = measureInChild(c);
      assert.equal(r.error, undefined, r.error);
      assert.equal(r.refused, undefined, r.refused);
      assert.ok(r.growthBytes !== undefined && r.estimateBytes !== undefined && r.growthBytes > 0);
      assert.ok(r.growthBytes < r.estimateBytes, `peak grew by ${(r.growthBytes / 2 ** 20).toFixed(1)} MiB, estimate ${(r.estimateBytes / 2 ** 20).toFixed(1)} MiB`);
    });
  }
});
