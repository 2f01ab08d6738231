/**
 * Hybrid QCNNs and their same-shape classical controls, built by one function: a design names the
 * classical front (resize), the patch kernel (2×2 windows, stride 2) and the classical head, and the
 * `quantum` switch decides whether the kernel is a QuantumConv2D (4 qubits, hardware-efficient ansatz,
 * ⟨Z⟩ on each qubit → 4 channels per filter) or a Conv2D 2×2/2 with the same output channels (tanh,
 * so that its outputs are bounded like expectation values). Everything else is identical, so the
 * control differs from the hybrid in exactly the quantum layer.
 */
import { tf } from '../backend';
import { ImageResize } from './image-resize';
import { chain, type ResolvedModelOptions } from './model-options';
import { SeededLayers } from './seeded-layers';

/** The shape of a hybrid model and of its control. */
export interface HybridDesign {
  /** Square size the front resizes the image to (area averaging), or null to keep the input size. */
  resize: number | null;
  /** Independent quantum kernels (each gives 4 channels: ⟨Z⟩ of its 4 qubits). */
  filters: number;
  /** Layers of the hardware-efficient ansatz (8 angles each: RY, RZ per qubit, then a CNOT ring). */
  depth: number;
  /** The head: one conv 3×3 (same, ReLU) + max-pool 2 per entry, with that many channels; then softmax. */
  head: readonly number[];
}

/** Qubits of the patch kernel: one per value of a 2×2 window of a grayscale image. */
export const PATCH_QUBITS = 4;

/** Builds a design with the quantum kernel (`quantum` true) or its same-shape classical control. */
export function buildHybridDesign(name: string, design: HybridDesign, quantum: boolean) {
  return (seed: number, o: ResolvedModelOptions): tf.LayersModel => {
    const L = new SeededLayers(seed);
    const layers: tf.layers.Layer[] = [];
    if (design.resize != null) layers.push(new ImageResize({ size: design.resize, method: 'area' }));
    const kernel = quantum
      ? L.quantumConv2d({
        kernelSize: 2, strides: 2, filters: design.filters, encoding: 'ry', ansatz: 'hardware-efficient',
        layers: design.depth, diffMethod: o.diffMethod,
        // Nothing trainable precedes the kernel (the front is a fixed resize), so no input gradient is needed:
        // parameter-shift then shifts only the weight angles, and the circuit count says so.
        inputGradients: false,
      })
      : L.conv2d(PATCH_QUBITS * design.filters, 2, 'tanh', { strides: 2 });
    layers.push(kernel);
    for (const channels of design.head) {
      layers.push(L.conv2d(channels, 3, 'relu', { padding: 'same' }), tf.layers.maxPooling2d({ poolSize: 2 }));
    }
    layers.push(tf.layers.flatten(), L.dense(o.numClasses, 'softmax'));
    return chain(name, o.imageSize, layers);
  };
}
