import { strict as assert } from 'assert';
import * as fs from 'fs';
import { needs } from './helpers/optional';
import { DATASETS, datasetSearchDirs, loadDataset, loadIdxDataset, TrainTestSplit } from '../src/data';

const SYSTEM_DIR = DATASETS['fashion-mnist'].systemDir as string;

describe('data: Fashion-MNIST from the Debian package (dataset-fashion-mnist)', function () {
  let split: TrainTestSplit;

  before(function () {
    needs(this, fs.existsSync(SYSTEM_DIR) ? null : `${SYSTEM_DIR} absent (Debian package dataset-fashion-mnist)`);
    split = loadIdxDataset(SYSTEM_DIR, { name: 'fashion-mnist', classNames: DATASETS['fashion-mnist'].classNames, imageSize: [28, 28] });
  });

  it('has the official 60,000 / 10,000 split with 6,000 / 1,000 of each class', () => {
    assert.deepEqual([split.train.size, split.test.size], [60000, 10000]);
    assert.deepEqual(split.train.classCounts(), new Array(10).fill(6000));
    assert.deepEqual(split.test.classCounts(), new Array(10).fill(1000));
    // The first training and test items of Fashion-MNIST are both ankle boots (class 9).
    assert.equal(split.train.classNames[split.train.labels[0]], 'Ankle boot');
    assert.equal(split.test.labels[0], 9);
    const first = split.train.image(0);
    assert.ok(first.some((v) => v > 200) && first.some((v) => v === 0), 'a real image: dark background, bright object');
  });

  it("is what loadDataset('fashion-mnist') finds on its own, with stratified subsets", () => {
    assert.equal(datasetSearchDirs('fashion-mnist').at(-1), SYSTEM_DIR);
    const found = loadDataset('fashion-mnist', { trainSize: 1000, testSize: 200, classes: [0, 9] });
    assert.match(found.source, /^IDX files in .*official split 60000\/10000/);
    assert.deepEqual(found.train.classCounts(), [500, 500]);
    assert.deepEqual(found.test.classNames, ['T-shirt/top', 'Ankle boot']);
    assert.equal(found.train.height, 28);
  });
});
