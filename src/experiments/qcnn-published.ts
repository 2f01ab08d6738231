/**
 * Published reference figures for the QCNN study: Hur, Kim & Park's 8-qubit QCNN on binary MNIST and
 * Fashion-MNIST (0 vs 1), as the authors released them, with where each number comes from.
 *
 * What could be read here, and what could not:
 *  - the paper's accuracy tables (arXiv:2108.00661, Quantum Machine Intelligence 4, 3 (2022)) could not be
 *    read: the stored copies of the arXiv abstract page, awesomepapers.org, emergentmind and a Springer
 *    mirror reached through the search tool return the abstract and introduction only, never the tables;
 *  - the authors' repository (github.com/takh04/QCNN) holds the per-run test accuracies behind their
 *    benchmarks as Python arrays. The figures below are copied from one such file, unchanged since the commit
 *    named; the mean and spread are computed here (`publishedStats`), not copied.
 * Whether these files are exactly the runs printed in the paper's tables cannot be checked without the
 * tables; the README says so beside them.
 */

/** Where a published figure comes from. */
export interface PublishedSource {
  /** Web address of the file at the commit it was read at. */
  url: string;
  repository: string;
  path: string;
  /** The commit that wrote these numbers (the file is unchanged from it to the repository's head, 9091189). */
  commit: string;
  committed: string;
  /** The array's name in the file. */
  variable: string;
}

/** One published configuration: per-run test accuracies of one model on one task. */
export interface QcnnPublishedFigure {
  /** The study's task name when it matches one of ours ('0-vs-1'), else a name of its own. */
  task: string;
  dataset: 'MNIST' | 'Fashion-MNIST';
  /** Short label for the table. */
  model: string;
  ansatz: string;
  encoding: string;
  qubits: number;
  /** Trainable circuit parameters (3 convolution blocks of 15 + 3 pooling blocks of 2 for SU(4)). */
  parameters: number;
  /** What the classical preprocessing fits (its parameters are not in `parameters`). */
  front: string;
  /** Test accuracy of each run (fractions), in the file's order. */
  runs: number[];
  /** Test images per run (check: every run value × this is an integer). */
  testImages: number;
  source: PublishedSource;
}

const REPO = 'takh04/QCNN';
const COMMIT = '16e44da';
const FILE_AT_COMMIT = 'Final QOSF_project/Result/Data/QCNN_triple_layer_result.py';
const source = (variable: string): PublishedSource => ({
  url: `https://github.com/${REPO}/blob/${COMMIT}/Final%20QOSF_project/Result/Data/QCNN_triple_layer_result.py`,
  repository: REPO, path: `${FILE_AT_COMMIT} (now QCNN/Result/Data/QCNN_triple_layer_result.py)`, commit: COMMIT, committed: '2021-07-26', variable,
});

const SU4 = { ansatz: 'SU(4) convolution (15 angles) + pooling (2 angles), 3 levels 8 → 4 → 2 → 1', qubits: 8, parameters: 51 } as const;
const ENCODINGS = {
  resize256: { encoding: 'amplitude, image resized to 256 values', front: 'resize to 256 values, nothing fitted' },
  pca8: { encoding: 'angle (RY), 8 PCA features', front: 'PCA to 8, fitted' },
  ae8: { encoding: 'angle (RY), 8 autoencoder features', front: 'autoencoder to 8, trained' },
  pca16: { encoding: 'dense angle (2 per qubit), 16 PCA features', front: 'PCA to 16, fitted' },
  ae16: { encoding: 'dense angle (2 per qubit), 16 autoencoder features', front: 'autoencoder to 16, trained' },
} as const;

function figure(dataset: 'MNIST' | 'Fashion-MNIST', enc: keyof typeof ENCODINGS, variable: string, runs: number[]): QcnnPublishedFigure {
  const mnist = dataset === 'MNIST';
  return {
    task: mnist ? '0-vs-1' : 'fashion-0-vs-1', dataset, model: `Hur et al. QCNN SU(4), ${enc}`, ...SU4, ...ENCODINGS[enc], runs,
    testImages: mnist ? 2115 : 2000, source: source(variable),
  };
}

/** The published figures, their provenance and the training behind them. */
export const QCNN_PUBLISHED = Object.freeze({
  citation: 'T. Hur, L. Kim, D. K. Park, "Quantum convolutional neural network for classical data classification", Quantum Machine Intelligence 4, 3 (2022), arXiv:2108.00661',
  paperTables: 'not read: the search tool\'s stored copies of arxiv.org/abs/2108.00661, awesomepapers.org, emergentmind.com and a Springer mirror of ' +
    '10.1007/s42484-021-00061-x give the abstract and introduction only; queries for the tables\' wording (MSE / cross-entropy, Conv1–Conv9, ' +
    'resize256, PCA8, AE8, PCA16, AE16) found no page with them. No number is taken from the paper itself.',
  used: 'the authors\' result file QCNN_triple_layer_result.py (github.com/takh04/QCNN, commit 16e44da, 2021-07-26, one week before arXiv v1); ' +
    'the SU(4) arrays, 5 runs per configuration, each the accuracy on the full official test set of the two classes (run value × 2,115 or × 2,000 is an integer)',
  training: 'as the authors\' code at that commit: all training images of the two classes, 200 Nesterov-momentum steps (step 0.01) on random batches of 25, ' +
    'MSE loss on ⟨Z⟩ of the last qubit with labels ±1 (cross-entropy was added to the code the next day, 8aea783), parameters drawn from N(0, 1), no validation split, ' +
    'the accuracy after the last step',
  caveats: 'the file calls these runs "Triple Layer QCNN"; the code at that commit has one QCNN structure, 3 convolution + pooling levels on 8 qubits ' +
    '(51 parameters with SU(4)), which is what qcnn-8 builds. The files\' "PCA16"/"AE16" are taken to be the dense encoding (the code\'s \'-compact\' ' +
    'variants: RX of features 1–8 then RY of 9–16); the labels do not say so. Whether these are exactly the runs in the paper\'s tables cannot be checked here.',
  figures: [
    figure('MNIST', 'resize256', 'SU4_resize256_MNIST', [0.9820330969267139, 0.984869976359338, 0.9801418439716312, 0.9825059101654846, 0.9867612293144208]),
    figure('MNIST', 'pca8', 'SU4_PCA8_MNIST', [0.984869976359338, 0.9891252955082742, 0.9810874704491725, 0.9853427895981087, 0.9791962174940898]),
    figure('MNIST', 'ae8', 'SU4_AE8_MNIST', [0.9749408983451536, 0.9862884160756501, 0.9867612293144208, 0.9858156028368794, 0.9872340425531915]),
    figure('MNIST', 'pca16', 'SU4_PCA16_MNIST', [0.9858156028368794, 0.9801418439716312, 0.984869976359338, 0.984869976359338, 0.9853427895981087]),
    figure('MNIST', 'ae16', 'SU4_AE16_MNIST', [0.9725768321513002, 0.9333333333333333, 0.9744680851063829, 0.9678486997635933, 0.992434988179669]),
    figure('Fashion-MNIST', 'resize256', 'SU4_resize256_FASHION', [0.9145, 0.8915, 0.9165, 0.8985, 0.8945]),
    figure('Fashion-MNIST', 'pca8', 'SU4_PCA8_FASHION', [0.8995, 0.882, 0.875, 0.9055, 0.881]),
    figure('Fashion-MNIST', 'ae8', 'SU4_AE8_FASHION', [0.9205, 0.93, 0.941, 0.931, 0.9495]),
    figure('Fashion-MNIST', 'pca16', 'SU4_PCA16_FASHION', [0.9155, 0.8885, 0.901, 0.879, 0.881]),
    figure('Fashion-MNIST', 'ae16', 'SU4_AE16_FASHION', [0.936, 0.933, 0.937, 0.9505, 0.95]),
  ] as QcnnPublishedFigure[],
});

/** Mean and sample standard deviation (n − 1, as our rows; the authors' scripts print numpy's n) of a figure's runs. */
export function publishedStats(f: Pick<QcnnPublishedFigure, 'runs'>): { mean: number; std: number; populationStd: number } {
  const n = f.runs.length;
  if (n === 0) throw new Error('publishedStats: runs: expected at least one value, got none');
  const mean = f.runs.reduce((a, b) => a + b, 0) / n;
  const ss = f.runs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, std: n < 2 ? 0 : Math.sqrt(ss / (n - 1)), populationStd: Math.sqrt(ss / n) };
}

/** Table rows (markdown, the QCNN table's columns) for the published figures of `task`. */
export function publishedRowsMarkdown(task: string, figures: readonly QcnnPublishedFigure[] = QCNN_PUBLISHED.figures): string[] {
  const pct = (v: number) => (100 * v).toFixed(2);
  return figures.filter((f) => f.task === task).map((f) => {
    const { mean, std } = publishedStats(f);
    return `| ${f.task} | ${f.model} (published, ${f.runs.length} runs) | ${f.parameters} + 0 (front: ${f.front}) | ${pct(mean)} ± ${pct(std)} | ` +
      `${f.runs.map((v, i) => `${i + 1}: ${pct(v)}`).join(', ')} | — | — |`;
  });
}
