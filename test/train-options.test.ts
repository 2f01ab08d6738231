// Bad options and bad data fail before training starts, with messages that name the culprit.
import { strict as assert } from 'assert';
import { tf } from '../src/backend';
import { train, type TrainOptions, type TrainData } from '../src/train';
import { blobData, disposeData, tinyModel } from './train-fixtures';

/** Asserts that `p` rejects with an Error whose message matches `re` (anchors apply to the message). */
async function rejectsWith(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.match(e.message, re);
    return true;
  });
}

describe('train: bad options and data', () => {
  const data = blobData(12, 6);
  const model = tinyModel();
  after(() => {
    disposeData(data);
    model.dispose();
  });

  const badOptions: Array<[TrainOptions, RegExp]> = [
    [{ batchSize: 0 }, /^batchSize: expected a positive integer, got 0$/],
    [{ batchSize: 2.5 }, /^batchSize: expected a positive integer, got 2\.5$/],
    [{ epochs: -1 }, /^epochs: expected a positive integer, got -1$/],
    [{ learningRate: 0 }, /^learningRate: expected a finite number > 0, got 0$/],
    [{ quantumLearningRate: NaN }, /^quantumLearningRate: expected a finite number > 0, got NaN$/],
    [{ seed: -3 }, /^seed: expected an integer 0 ≤ seed < 2\^32, got -3$/],
    [{ diffMethod: 'finite-diff' as never }, /^diffMethod: expected one of 'parameter-shift', 'adjoint', 'backprop', got 'finite-diff'$/],
    [{ outputs: 'softmax' as never }, /^outputs: expected one of 'auto', 'logits', 'probabilities'/],
    [{ batch_size: 8 } as never, /^options: expected known option names, got unknown option 'batch_size'; did you mean 'batchSize'\? known: epochs, batchSize/],
    [{ adam: { beta1: 1 } }, /^adam\.beta1: expected a number in \[0, 1\), got 1$/],
    [{ adam: { lr: 1 } as never }, /^adam: expected known option names, got unknown option 'lr'; known: beta1, beta2, epsilon$/],
    [{ resume: true }, /^resume: needs outDir/],
    [{ resume: 'yes' as never, outDir: '/tmp/x' }, /^resume: expected true, false or 'auto', got "yes"$/],
    [{ earlyStopping: { patience: 0 } }, /^earlyStopping\.patience: expected a positive integer, got 0$/],
    [{ earlyStopping: { patience: 2, monitor: 'val_acc' as never } }, /^earlyStopping\.monitor: expected one of/],
    [{ progress: 'fancy' as never }, /^progress: expected one of 'auto', 'bar', 'lines', 'none'/],
    [{ onEpochEnd: 'print' as never }, /^onEpochEnd: expected a function, got string$/],
  ];
  for (const [opts, re] of badOptions) {
    it(`rejects ${JSON.stringify(opts)}`, async () => {
      await rejectsWith(train(model, data, { progress: 'none', ...opts }), re);
    });
  }

  const badData: Array<[string, () => TrainData, RegExp]> = [
    ['inputs of the wrong shape', () => ({ train: { x: tf.zeros([12, 5]), y: data.train.y } }),
      /^data\.train\.x: expected shape \[N, 4\] for the model's input, got \[12, 5\]$/],
    ['inputs of the wrong rank', () => ({ train: { x: tf.zeros([12, 2, 2]), y: data.train.y } }),
      /^data\.train\.x: expected shape \[N, 4\] for the model's input, got \[12, 2, 2\]$/],
    ['fewer labels than samples', () => ({ train: { x: data.train.x, y: [0, 1, 2] } }),
      /^data\.train\.y: expected 12 labels \(one per sample\), got 3$/],
    ['labels out of range', () => ({ train: { x: data.train.x, y: Array.from({ length: 12 }, (_, i) => (i === 5 ? 3 : 0)) } }),
      /^data\.train\.y: labels must be integers in \[0, 3\) for a model with 3 outputs, got 3 at index 5$/],
    ['one-hot labels', () => ({ train: { x: data.train.x, y: tf.oneHot(tf.tensor1d(data.train.y as number[], 'int32'), 3) } }),
      /^data\.train\.y: expected integer class labels of shape \[12\], got \[12, 3\] \(one-hot labels are not accepted\)$/],
    ['a validation split with the wrong shape', () => ({ train: data.train, validation: { x: tf.zeros([6, 3]), y: [0, 1, 2, 0, 1, 2] } }),
      /^data\.validation\.x: expected shape \[N, 4\]/],
    ['an unknown data key', () => ({ train: data.train, test: data.validation } as never),
      /^data: unknown key 'test' \(expected 'train' and optionally 'validation'\)$/],
    ['a missing train split', () => ({ validation: data.validation } as never), /^data\.train: expected \{ x, y \}/],
  ];
  for (const [what, make, re] of badData) {
    it(`rejects ${what}`, async () => {
      const bad = make();
      try {
        await rejectsWith(train(model, bad, { progress: 'none' }), re);
      } finally {
        // Free the tensors this case made (not the shared fixtures).
        const parts = [bad.train, bad.validation] as Array<{ x?: unknown; y?: unknown } | undefined>;
        const made = parts.flatMap((p) => [p?.x, p?.y])
          .filter((t): t is tf.Tensor => t instanceof tf.Tensor && t !== data.train.x && t !== data.validation.x);
        tf.dispose(made);
      }
    });
  }

  it('rejects early stopping on val_loss without validation data', async () => {
    await rejectsWith(train(model, { train: data.train }, { progress: 'none', earlyStopping: { patience: 1 } }),
      /^earlyStopping\.monitor: 'val_loss' needs data\.validation/);
  });

  it('rejects a model whose output is not [N, numClasses]', async () => {
    const m = tf.sequential({ layers: [tf.layers.reshape({ inputShape: [4], targetShape: [2, 2] })] });
    await rejectsWith(train(m, data, { progress: 'none' }), /^model: expected an output of shape \[N, numClasses\] \(class scores\), got \[N, 2, 2\]$/);
    m.dispose();
  });

  it('rejects a model without trainable weights and something that is not a model', async () => {
    const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, trainable: false })] });
    await rejectsWith(train(m, data, { progress: 'none' }), /^model: has no trainable weights$/);
    await rejectsWith(train({} as never, data), /^model: expected a tf\.LayersModel$/);
    m.dispose();
  });

  it('nothing trains when options are bad (weights unchanged)', async () => {
    const before = model.getWeights().map((w) => Array.from(w.dataSync()));
    await assert.rejects(train(model, data, { epochs: 2, batchSize: -1 }));
    assert.deepEqual(model.getWeights().map((w) => Array.from(w.dataSync())), before);
  });
});

describe('train: backend limits', () => {
  it('explains a missing gradient kernel instead of passing on the bare tfjs message', async () => {
    // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter (ready() registers qkc's own): take the kernel
    // away for this test, so a backend without it is what the trainer meets, and put it back after.
    const backend = tf.getBackend();
    const own = tf.getKernel('Conv2DBackpropFilter', backend);
    if (own != null) tf.unregisterKernel('Conv2DBackpropFilter', backend);
    const m = tf.sequential({ layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 2 }), tf.layers.flatten(), tf.layers.dense({ units: 3 }),
    ] });
    const x = tf.zeros([3, 4, 4, 1]);
    try {
      await rejectsWith(train(m, { train: { x, y: [0, 1, 2] } }, { progress: 'none' }),
        new RegExp(`^train: the '${backend}' backend has no 'Conv2DBackpropFilter' kernel, which this model's training step needs`));
    } finally {
      if (own != null) tf.registerKernel(own);
    }
    x.dispose();
    m.dispose();
  });
});
