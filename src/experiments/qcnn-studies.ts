/**
 * The QCNN studies as data: the tasks (classes, image counts, inputs) and the settings each named study runs
 * (`npm run qcnn -- --study NAME`). qcnn-study.ts runs and summarises them.
 */
import type { DiffMethod } from '../qkc';
import type { QcnnInput } from './qcnn-inputs';

/**
 * A task: a name, the MNIST classes it keeps (null: all ten), the training images kept (a stratified prefix)
 * and, when set, the validation and test images kept (stratified prefixes of the carved validation set and
 * of the official test set of the classes).
 */
export interface QcnnTask {
  name: string; classes: number[] | null; trainSize: number; validationSize?: number; testSize?: number;
  /** What the models see (default 'resize4': the image, resized inside the model); 'pca8' / 'ae8': 8 features fitted on the training split (qcnn-inputs.ts). */
  input?: QcnnInput;
}

/** What the study runs. */
export interface QcnnStudySettings {
  tasks: QcnnTask[];
  /** Model names (src/models QCNN_MODELS or MODELS). */
  models: string[];
  /** Models run on some tasks only (name → task names); the others run on every task. */
  modelTasks?: Record<string, string[]>;
  seeds: number[];
  epochs: number;
  /** Epoch budgets of some models (name → epochs) in place of `epochs`. */
  modelEpochs?: Record<string, number>;
  /** Stop a run once this many epochs in a row bring no better validation accuracy (default: run every epoch; the best epoch's weights are kept either way). */
  patience?: number;
  batchSize: number;
  learningRate: number;
  quantumLearningRate: number;
  diffMethod: DiffMethod;
}

/**
 * The study as run for the README (the variants qcnn-8-dense and qcnn-8-z on the tasks `modelTasks` names): 2,000 training images for the binary tasks and 3,000 for 10 classes
 * (stratified prefixes of what is left after the 5,000-image validation carve), full official test sets
 * of the classes, 10 epochs, batch 32, Adam (0.03 for angles, 0.01 for classical weights), adjoint
 * gradients (exact; a parameter-shift check is in test/qcnn.test.ts). Sizes chosen so that one QCNN run
 * takes a few minutes on a shared 2-core machine.
 */
export const QCNN_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  tasks: [
    { name: '0-vs-1', classes: [0, 1], trainSize: 2000 },
    { name: '3-vs-6', classes: [3, 6], trainSize: 2000 },
    { name: '10-class', classes: null, trainSize: 3000 },
  ],
  models: ['qcnn-8', 'qcnn-8-dense', 'qcnn-8-z', 'qcnn-8-mlp', 'linear-4x4'],
  // The variants answer one question each: what Hur et al.'s RY–RZ encoding loses on pixels (binary tasks),
  // and whether the fixed Born readout is what limits 10 classes (⟨Z⟩ of the 4 readout qubits into a softmax layer).
  modelTasks: { 'qcnn-8-dense': ['0-vs-1', '3-vs-6'], 'qcnn-8-z': ['10-class'] },
  seeds: [0, 1, 2],
  epochs: 10,
  batchSize: 32,
  learningRate: 0.01,
  quantumLearningRate: 0.03,
  diffMethod: 'adjoint' as DiffMethod,
});

/**
 * The 16-qubit study (qcnn-16 beside qcnn-8 and the classical models, same 4×4 input), on a much smaller
 * setting than QCNN_STUDY because a 16-qubit state is 256× an 8-qubit one. Measured: one qcnn-16 training
 * image costs ~0.25 CPU-seconds (adjoint) and one forward pass ~0.05; with the session's other runs a niced
 * process gets ~6 % of a core, so QCNN_STUDY's setting would take days per run. Here: 128 training and 128
 * validation images, 1,000 test images (stratified prefixes of the same splits), batch 8 (16 steps per
 * epoch), 3 epochs. Every model of the study runs on exactly this setting, so the comparison inside it is
 * like for like. Task names carry the size, so these runs never overwrite QCNN_STUDY's.
 */
export const QCNN16_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  tasks: [
    { name: '0-vs-1-n128', classes: [0, 1], trainSize: 128, validationSize: 128, testSize: 1000 },
    { name: '3-vs-6-n128', classes: [3, 6], trainSize: 128, validationSize: 128, testSize: 1000 },
  ],
  // The cheap models first, so they are done even if the 16-qubit runs are cut short.
  models: ['qcnn-8', 'qcnn-16-mlp', 'linear-4x4', 'qcnn-16'],
  seeds: [0, 1, 2],
  epochs: 3,
  batchSize: 8,
  learningRate: 0.01,
  quantumLearningRate: 0.03,
  diffMethod: 'adjoint' as DiffMethod,
});

/**
 * QCNN16_STUDY's 0-vs-1 setting (same 128 / 128 / 1,000 images, batch 8) trained for 10 epochs instead of 3
 * (160 Adam steps instead of 48), to see whether qcnn-16's validation curve flattens. Only 0 vs 1: with the
 * session's load a niced process gets about a quarter of a core, and one qcnn-16 run of this length costs
 * about 480 CPU-seconds (0.25 per training image, 0.05 per validation or test image).
 */
export const QCNN16_LONG_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  ...QCNN16_STUDY,
  tasks: [{ name: '0-vs-1-n128-e10', classes: [0, 1], trainSize: 128, validationSize: 128, testSize: 1000 }],
  epochs: 10,
});

/** QCNN16_LONG_STUDY's setting (128 / 128 / 1,000 images, batch 8, 10 epochs) on 3 vs 6, the task `qubits-16-long` left out. */
export const QCNN16_LONG_3V6_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  ...QCNN16_LONG_STUDY,
  tasks: [{ name: '3-vs-6-n128-e10', classes: [3, 6], trainSize: 128, validationSize: 128, testSize: 1000 }],
});

/**
 * qcnn-8's circuit on Hur et al.'s fitted inputs (PCA to 8, autoencoder to 8; qcnn-inputs.ts), one value per
 * qubit (qcnn-8-angle, 49 angles), beside the parameter-matched MLP on the same 8 values (8 → 4 → 2, 46
 * parameters): everything else as QCNN_STUDY (same images, epochs, batch, learning rates, selection), so the
 * difference to QCNN_STUDY's qcnn-8 is the input alone. The fronts are fitted on the task's 2,000 training
 * images; their parameters are fixed before the QCNN trains and are not counted in the table.
 */
export const QCNN_INPUTS_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  ...QCNN_STUDY,
  tasks: (['pca8', 'ae8'] as const).flatMap((input) => [
    { name: `0-vs-1-${input}`, classes: [0, 1], trainSize: 2000, input },
    { name: `3-vs-6-${input}`, classes: [3, 6], trainSize: 2000, input },
  ]),
  models: ['qcnn-8-angle', 'qcnn-8-mlp'],
  modelTasks: undefined,
});

/**
 * QCNN_STUDY's 10-class task trained for 20 epochs instead of 10 (same images, batch, learning rates and
 * selection): the 10-epoch runs of qcnn-8 seed 1 and of softmax regression were still lowering their
 * training loss at epoch 10, and so was qcnn-8-z (⟨Z⟩ readout into a softmax layer).
 */
export const QCNN_TEN_CLASS_LONG_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  ...QCNN_STUDY,
  tasks: [{ name: '10-class-e20', classes: null, trainSize: 3000 }],
  models: ['linear-4x4', 'qcnn-8-mlp', 'qcnn-8', 'qcnn-8-z'],
  modelTasks: undefined,
  epochs: 20,
});

/**
 * The 10-class runs that had not converged in QCNN_TEN_CLASS_LONG_STUDY (qcnn-8-z and softmax regression, both
 * still improving at epoch 20), trained until the validation curve flattens: a run stops once 20 epochs in a
 * row bring no better validation accuracy (5,000 validation images); at most 200 epochs, and 80 for qcnn-8-z
 * (about 1,000× softmax regression's cost per epoch: 80 is what fitted one session). (Patience 10 stopped
 * qcnn-8-z seed 0 at epoch 32 on a spike at epoch 22, with its 10-epoch mean validation accuracy still rising
 * by 2 points.) Same images, batch, learning rates and selection as QCNN_STUDY; the convergence table
 * (qcnnConvergenceMarkdown) says how flat each curve was at the end.
 */
export const QCNN_TEN_CLASS_CONVERGED_STUDY: Readonly<QcnnStudySettings> = Object.freeze({
  ...QCNN_STUDY,
  tasks: [{ name: '10-class-p20', classes: null, trainSize: 3000 }],
  models: ['linear-4x4', 'qcnn-8-z'],
  modelTasks: undefined,
  epochs: 200,
  modelEpochs: { 'qcnn-8-z': 80 },
  patience: 20,
});

/** The studies by name (`npm run qcnn -- --study NAME`); the summary covers the runs of all of them. */
export const QCNN_STUDIES: Readonly<Record<string, Readonly<QcnnStudySettings>>> = Object.freeze({
  main: QCNN_STUDY, 'qubits-16': QCNN16_STUDY, 'qubits-16-long': QCNN16_LONG_STUDY, inputs: QCNN_INPUTS_STUDY, 'ten-class-long': QCNN_TEN_CLASS_LONG_STUDY,
  'ten-class-converged': QCNN_TEN_CLASS_CONVERGED_STUDY, 'qubits-16-long-3v6': QCNN16_LONG_3V6_STUDY,
});
