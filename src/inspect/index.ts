/** Inspection: batched quantum-information functions (reduced states, entropies, entanglement, distances) over state or density batches. */
export { reducedDensityMatrix } from './reduced';
export { vonNeumannEntropy, renyiEntropy, purity, entanglementEntropy, mutualInformation, TRACE_TOLERANCE } from './entropy';
export { concurrence, negativity, logNegativity, meyerWallach } from './entanglement';
export type { BipartitionOptions } from './entanglement';
export { blochVectors } from './bloch';
export { fidelity, traceDistance } from './distance';
export { eigvalsh, eigvalshHost, jacobiHermitian } from './eigen';
export type { EntropyOptions } from './validate';
