/**
 * Fully quantum QCNNs on downsampled images, and the classical models they are compared with on the same
 * input. What is quantum and what is not, exactly:
 *  - classical, fixed (no parameters): RGB → gray when needed, then an area resize of the image to 4×4
 *    (16 mean pixel values in [0, 1]); the resize keeps the whole digit and needs no fitted preprocessing.
 *    Hur et al. also used PCA or an autoencoder to 8 features: those fronts are fitted outside the model
 *    (src/experiments/qcnn-inputs.ts) and reach it as a 1×8 "image", which these models take as it is
 *    (qcnn-8-angle encodes such 8 values, one per qubit);
 *  - quantum, all trainable parameters: the 16 values are angle-encoded (two per qubit on 8 qubits, RY(π·a)
 *    then RZ(π·b), Hur et al.'s dense encoding; or one per qubit on 16), then the QCNN circuit of
 *    qcnn-circuit.ts (convolution and pooling layers on one register, shared angles per layer);
 *  - the output: the Born probabilities p_k of outcomes k = 0 … C−1 of the readout qubits (one qubit for
 *    2 classes, four for 10), read as class scores p_k / Σ_{j<C} p_j (for 10 classes on 4 qubits: the
 *    distribution conditioned on an outcome below 10; for 2 classes Σ = 1). The model outputs log p_k,
 *    so the trainer's log-softmax yields exactly log(p_k / Σ p_j): a fixed, parameter-free readout.
 * The circuit runs as a QuantumConv2D whose window is the whole 4×4 image (one patch per image), so the
 * simulator's execution choice, gradients (backprop, adjoint, parameter-shift), cost counts, capture and
 * QASM export all apply unchanged.
 */
import { tf } from '../backend';
import { ImageGrayscale, ImageResize } from './image-resize';
import { chain, type ResolvedModelOptions } from './model-options';
import { SeededLayers } from './seeded-layers';
import { badArgument } from '../util/errors';
import { buildQcnnCircuit, CONV_BLOCK_PARAMS, qcnnLayout, type QcnnCircuit, type QcnnDesign } from './qcnn-circuit';

/** Side of the square the image is area-resized to: 4×4 = 16 values. */
export const QCNN_IMAGE_SIDE = 4;

/** qcnn-8: 8 qubits, two pixels per qubit (RY then RX), Hur et al.'s SU(4) convolution and pooling: the Hur–Kim–Park shape. */
export const QCNN_8: QcnnDesign = Object.freeze({ qubits: 8, encoding: 'ry-rx' as const, conv: 'su4' as const, pool: 'hur' as const });
/** qcnn-16: 16 qubits, one pixel per qubit (RY), SO(4) convolution (a cheaper block for the larger register), Hur pooling. */
export const QCNN_16: QcnnDesign = Object.freeze({ qubits: 16, encoding: 'ry' as const, conv: 'so4' as const, pool: 'hur' as const });

/** qcnn-8-dense: qcnn-8 with Hur et al.'s dense encoding (RY then RZ): measures what the RZ-on-|0⟩ loss costs on pixels. */
export const QCNN_8_DENSE: QcnnDesign = Object.freeze({ ...QCNN_8, encoding: 'dense' as const });
/** qcnn-8-z: qcnn-8's circuit read as ⟨Z⟩ of its readout qubits into a classical softmax layer (a hybrid readout). */
export const QCNN_8_Z: QcnnDesign = Object.freeze({ ...QCNN_8, readout: 'z' as const });
/** qcnn-8-angle: qcnn-8's circuit on 8 values, one per qubit, RY(π·v): Hur et al.'s 'Angle' embedding of their PCA8 / AE8 features. */
export const QCNN_8_ANGLE: QcnnDesign = Object.freeze({ ...QCNN_8, encoding: 'ry' as const });

/** Floor on probabilities before the log (as the trainer clips softmax outputs). */
const PROB_FLOOR = 1e-7;

/** log(max(p, 1e-7)) of the Born probabilities [batch, C]: the trainer's log-softmax then gives log(p_k / Σ p_j). No weights. */
export class ClassLogProbabilities extends tf.layers.Layer {
  /** Name under which tfjs serialises the class. */
  static className = 'ClassLogProbabilities';

  constructor(args: NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]> = {}) {
    super({ ...args, trainable: false });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const p = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.tidy(() => tf.log(tf.maximum(p, PROB_FLOOR)));
  }
}

tf.serialization.registerClass(ClassLogProbabilities);

/** Built circuits by design and class count (pruning idle angles runs the adjoint a few times: do it once). */
const circuits = new Map<string, QcnnCircuit>();

/** The QCNN circuit of `design` for `numClasses` classes (cached). */
export function qcnnCircuit(design: QcnnDesign, numClasses: number): QcnnCircuit {
  const key = `${JSON.stringify(design)}|${numClasses}`;
  let c = circuits.get(key);
  if (!c) circuits.set(key, (c = buildQcnnCircuit(design, numClasses)));
  return c;
}

/**
 * Whether the input is a vector of features (a 1×n "image", e.g. PCA features fitted outside the model,
 * src/experiments/qcnn-inputs.ts) rather than an image: then nothing is resized.
 */
const isFeatureInput = (o: ResolvedModelOptions): boolean => o.imageSize[0] === 1 && o.channels === 1;

/** The values the QCNN window holds: the whole 1×n feature vector, or the 4×4 resized image. */
const qcnnWindow = (o: ResolvedModelOptions): [number, number] => (isFeatureInput(o) ? [1, o.imageSize[1]] : [QCNN_IMAGE_SIDE, QCNN_IMAGE_SIDE]);

/** The fixed classical front: none for a feature vector; for images gray, then area resize to 4×4. */
function front(o: ResolvedModelOptions): tf.layers.Layer[] {
  if (isFeatureInput(o)) return [];
  return [...(o.channels === 3 ? [new ImageGrayscale()] : []), new ImageResize({ size: [QCNN_IMAGE_SIDE, QCNN_IMAGE_SIDE], method: 'area' })];
}

/**
 * Builds the QCNN of `design` (see the file comment): with the 'born' readout the model has no classical
 * parameter; with 'z' the ⟨Z⟩ values of the readout qubits feed a softmax layer (r·C + C classical weights).
 */
export function buildQcnn(name: string, design: QcnnDesign) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const q = qcnnCircuit(design, o.numClasses);
    const [kh, kw] = qcnnWindow(o);
    // A circuit reading fewer values than the window holds would silently ignore the rest.
    if (q.nValues !== kh * kw) throw badArgument(`${name} (input): expected ${q.nValues} values per example for its encoding, got a ${kh}×${kw} window (${kh * kw} values)`);
    // The whole window is the input: one circuit per example. Nothing trainable precedes it, so no input gradients.
    const kernel = L.quantumConv2d({ kernelSize: [kh, kw], strides: [kh, kw], circuit: q.circuit, observables: q.observables, diffMethod: o.diffMethod, inputGradients: false });
    const head = (design.readout ?? 'born') === 'z' ? L.dense(o.numClasses, 'softmax') : new ClassLogProbabilities();
    return chain(name, o, [...front(o), kernel, tf.layers.flatten(), head]);
  };
}

/** Parameters of a one-hidden-layer MLP n → h (tanh) → C (softmax). */
const mlpParams = (h: number, c: number, n: number): number => n * h + h + h * c + c;

/** The hidden width whose MLP (on `inputs` values, default the 16 of the 4×4 image) has the parameter count nearest `target` (the smaller on a tie). */
export function matchedHiddenUnits(target: number, numClasses: number, inputs = QCNN_IMAGE_SIDE ** 2): number {
  let best = 1;
  for (let h = 1; mlpParams(h, numClasses, inputs) <= 2 * target + 64; h++) {
    if (Math.abs(mlpParams(h, numClasses, inputs) - target) < Math.abs(mlpParams(best, numClasses, inputs) - target)) best = h;
  }
  return best;
}

/** The classical twin of a QCNN on the same input (4×4 image or feature vector): an MLP n → h (tanh) → C (softmax), h matching the QCNN's parameter count. */
export function buildQcnnMlp(name: string, design: QcnnDesign) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const [kh, kw] = qcnnWindow(o);
    const h = matchedHiddenUnits(qcnnCircuit(design, o.numClasses).circuit.numWeights, o.numClasses, kh * kw);
    return chain(name, o, [...front(o), tf.layers.flatten(), L.dense(h, 'tanh'), L.dense(o.numClasses, 'softmax')]);
  };
}

/** Softmax regression on the same 4×4 input (16·C + C parameters). */
export function buildLinear4x4(name: string) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    return chain(name, o, [...front(o), tf.layers.flatten(), L.dense(o.numClasses, 'softmax')]);
  };
}

/** One line on what a QCNN design does for this input. */
function describeQcnn(design: QcnnDesign, o: ResolvedModelOptions): string {
  // The layout, not the built circuit: descriptions are made when the zoo loads, and pinning idle angles simulates.
  const q = qcnnLayout(design, o.numClasses);
  const stack = q.layers.map((l) => (l.kind === 'conv' ? `conv ${design.conv.toUpperCase()}×${l.pairs.length}` : `pool ${design.pool} ${l.live.length}→${l.live.length / 2}`)).join(' → ');
  const enc = design.encoding === 'ry' ? `RY angle encoding (${design.qubits} values, 1 per qubit)`
    : `${design.encoding === 'dense' ? 'RY then RZ' : 'RY then RX'} angle encoding (16 values, 2 per qubit)`;
  const readout = (design.readout ?? 'born') === 'z'
    ? `⟨Z⟩ of ${q.readout.length} qubit(s) [${q.readout.join(', ')}] → softmax layer (${(q.readout.length + 1) * o.numClasses} classical parameters)`
    : `Born probabilities of ${q.readout.length} qubit(s) [${q.readout.join(', ')}], outcomes 0…${o.numClasses - 1} renormalised (no classical parameters)`;
  const [kh, kw] = qcnnWindow(o);
  const input = isFeatureInput(o) ? `${o.imageSize[1]} fitted features (no resize)` : `area resize ${o.imageSize[0]}×${o.imageSize[1]}→4×4`;
  if (q.circuit.numInputs !== kh * kw) return `${enc} on ${design.qubits} qubits: takes ${q.circuit.numInputs} fitted features (a 1×${q.circuit.numInputs} input), not this ${o.imageSize[0]}×${o.imageSize[1]} input`;
  return `${input} → ${enc} on ${design.qubits} qubits → ${stack} → ${readout}; ` +
    `${CONV_BLOCK_PARAMS[design.conv]} angles per conv layer, ${q.circuit.numWeights} in all before angles that cannot change the output are pinned`;
}

/** One line on a QCNN's MLP twin for this input. */
function describeMlp(qcnn: string, o: ResolvedModelOptions): string {
  const input = isFeatureInput(o) ? `${o.imageSize[1]} fitted features (no resize)` : 'area resize →4×4';
  return `${input} → dense h (tanh) → softmax: an MLP whose width h gives the parameter count nearest ${qcnn}'s for the class count, on the same input`;
}

/** A zoo entry: what registry.ts turns into a ModelSpec. */
export interface QcnnEntry {
  name: string;
  /** 'hybrid' when it holds a quantum layer (the registry's ModelFamily). */
  family: 'hybrid' | 'classical';
  describe(o: ResolvedModelOptions): string;
  build(seed: number, o: ResolvedModelOptions): tf.LayersModel;
}

/** The QCNN models and their classical twins on the same 4×4 input (outside the suites' 10-class table of 28×28 models). */
export const QCNN_ENTRIES: readonly QcnnEntry[] = Object.freeze([
  { name: 'qcnn-8', family: 'hybrid' as const, describe: (o: ResolvedModelOptions) => describeQcnn(QCNN_8, o), build: buildQcnn('qcnn-8', QCNN_8) },
  { name: 'qcnn-8-dense', family: 'hybrid' as const, describe: (o: ResolvedModelOptions) => describeQcnn(QCNN_8_DENSE, o), build: buildQcnn('qcnn-8-dense', QCNN_8_DENSE) },
  { name: 'qcnn-8-z', family: 'hybrid' as const, describe: (o: ResolvedModelOptions) => describeQcnn(QCNN_8_Z, o), build: buildQcnn('qcnn-8-z', QCNN_8_Z) },
  { name: 'qcnn-8-angle', family: 'hybrid' as const, describe: (o: ResolvedModelOptions) => describeQcnn(QCNN_8_ANGLE, o), build: buildQcnn('qcnn-8-angle', QCNN_8_ANGLE) },
  { name: 'qcnn-16', family: 'hybrid' as const, describe: (o: ResolvedModelOptions) => describeQcnn(QCNN_16, o), build: buildQcnn('qcnn-16', QCNN_16) },
  {
    name: 'qcnn-8-mlp', family: 'classical' as const,
    describe: (o: ResolvedModelOptions) => describeMlp('qcnn-8', o),
    build: buildQcnnMlp('qcnn-8-mlp', QCNN_8),
  },
  {
    name: 'qcnn-16-mlp', family: 'classical' as const,
    describe: (o: ResolvedModelOptions) => describeMlp('qcnn-16', o),
    build: buildQcnnMlp('qcnn-16-mlp', QCNN_16),
  },
  { name: 'linear-4x4', family: 'classical' as const, describe: () => 'area resize →4×4 → softmax regression on the 16 values', build: buildLinear4x4('linear-4x4') },
]);
