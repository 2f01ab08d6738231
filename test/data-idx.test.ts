import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import {
  DatasetError,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  findIdxFiles,
  loadDataset,
  loadIdxDataset,
  readIdxFile,
  readIdxImages,
  readIdxLabels,
} from '../src/data';

/** Writes an IDX file by hand: big-endian magic and dims, then the bytes (gzip when asked). */
function idxBytes(magic: number, dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

function write(file: string, bytes: Buffer, gzip = false): string {
  fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
  return file;
}

/** n images of h×w where pixel (k, i, j) = (7k + 3i + j) mod 256, labels k mod classes. */
function fakeImages(n: number, h: number, w: number): Uint8Array {
  const a = new Uint8Array(n * h * w);
  for (let k = 0; k < n; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) a[(k * h + i) * w + j] = (7 * k + 3 * i + j) % 256;
  return a;
}
const fakeLabels = (n: number, classes = 10) => Uint8Array.from({ length: n }, (_, k) => k % classes);

/** Writes a full four-file dataset (nTrain/nTest examples of h×w) into dir. */
function writeDataset(dir: string, nTrain: number, nTest: number, h = 28, w = 28, gzip = false): void {
  fs.mkdirSync(dir, { recursive: true });
  const sfx = gzip ? '.gz' : '';
  write(path.join(dir, `train-images-idx3-ubyte${sfx}`), idxBytes(IDX_IMAGES_MAGIC, [nTrain, h, w], fakeImages(nTrain, h, w)), gzip);
  write(path.join(dir, `train-labels-idx1-ubyte${sfx}`), idxBytes(IDX_LABELS_MAGIC, [nTrain], fakeLabels(nTrain)), gzip);
  write(path.join(dir, `t10k-images-idx3-ubyte${sfx}`), idxBytes(IDX_IMAGES_MAGIC, [nTest, h, w], fakeImages(nTest, h, w)), gzip);
  write(path.join(dir, `t10k-labels-idx1-ubyte${sfx}`), idxBytes(IDX_LABELS_MAGIC, [nTest], fakeLabels(nTest)), gzip);
}

describe('data: IDX reader', () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'qkc-idx-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads raw and gzip image and label files to the same values', () => {
    const pixels = fakeImages(5, 4, 3);
    const raw = write(path.join(tmp, 'img'), idxBytes(IDX_IMAGES_MAGIC, [5, 4, 3], pixels));
    const gz = write(path.join(tmp, 'img.gz'), idxBytes(IDX_IMAGES_MAGIC, [5, 4, 3], pixels), true);
    for (const f of [raw, gz]) {
      const im = readIdxImages(f);
      assert.deepEqual([im.count, im.rows, im.cols], [5, 4, 3]);
      assert.deepEqual(Array.from(im.pixels), Array.from(pixels));
    }
    const labels = write(path.join(tmp, 'lab.gz'), idxBytes(IDX_LABELS_MAGIC, [4], Uint8Array.from([3, 1, 4, 1])), true);
    assert.deepEqual(Array.from(readIdxLabels(labels)), [3, 1, 4, 1]);
    assert.deepEqual(readIdxFile(labels).dims, [4]);
  });

  it('rejects a bad magic, naming the file, the expected and the found magic', () => {
    const f = write(path.join(tmp, 'bad-magic'), Buffer.from([0x12, 0x34, 0x08, 0x03, 0, 0, 0, 0]));
    assert.throws(() => readIdxImages(f), (e: Error) => e.message.includes(f) && /expected IDX images magic 0x00000803 \(or 0x00000804 with channels\), got 0x12340803/.test(e.message));
    const labelsFile = write(path.join(tmp, 'labels-as-images'), idxBytes(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 2])));
    assert.throws(() => readIdxImages(labelsFile), /expected IDX images magic 0x00000803 \(or 0x00000804 with channels\), got 0x00000801 \(IDX labels/);
    const float = write(path.join(tmp, 'float'), Buffer.from([0, 0, 0x0d, 1, 0, 0, 0, 0]));
    assert.throws(() => readIdxFile(float), /unsupported IDX data type: expected 0x08 \(unsigned byte\).*got 0x0d \(float\)/);
    const tiny = write(path.join(tmp, 'tiny'), Buffer.from([0, 0]));
    assert.throws(() => readIdxFile(tiny), /too short for an IDX header: expected at least 4 bytes, got 2/);
  });

  it('rejects truncated files (raw data, header and gzip stream) and trailing bytes', () => {
    const full = idxBytes(IDX_IMAGES_MAGIC, [3, 28, 28], fakeImages(3, 28, 28));
    const raw = write(path.join(tmp, 'trunc'), full.subarray(0, full.length - 100));
    assert.throws(() => readIdxImages(raw), (e: Error) => e.message.startsWith(raw) && /truncated: expected 2352 data bytes, as the header announces \[3 × 28 × 28\], got 2252/.test(e.message));
    const header = write(path.join(tmp, 'trunc-header'), full.subarray(0, 10));
    assert.throws(() => readIdxImages(header), /truncated header: expected 16 header bytes for 3 dimension\(s\), got 10/);
    const gz = zlib.gzipSync(full);
    const gzFile = write(path.join(tmp, 'trunc.gz'), gz.subarray(0, gz.length - 20));
    assert.throws(() => readIdxImages(gzFile), (e: Error) => e.message.startsWith(gzFile) && /gzip data is corrupt or truncated/.test(e.message));
    const long = write(path.join(tmp, 'long'), Buffer.concat([full, Buffer.alloc(5)]));
    assert.throws(() => readIdxImages(long), /5 unexpected bytes after the data/);
  });

  it('checks the image size when asked', () => {
    const f = write(path.join(tmp, 'small'), idxBytes(IDX_IMAGES_MAGIC, [1, 8, 8], new Uint8Array(64)));
    assert.throws(() => readIdxImages(f, [28, 28]), /expected 28×28 images, got 8×8/);
    assert.throws(() => readIdxImages(path.join(tmp, 'missing')), /cannot read IDX file/);
  });

  it('loads a directory of the four files (raw and .gz) with its official split', () => {
    for (const gzip of [false, true]) {
      const dir = path.join(tmp, gzip ? 'set-gz' : 'set-raw');
      writeDataset(dir, 30, 10, 28, 28, gzip);
      const split = loadIdxDataset(dir, { name: 'toy' });
      assert.equal(split.name, 'toy');
      assert.deepEqual([split.train.size, split.test.size, split.train.height, split.train.width], [30, 10, 28, 28]);
      assert.deepEqual(split.train.classCounts(), new Array(10).fill(3));
      assert.equal(split.train.numClasses, 10);
      assert.deepEqual(Array.from(split.test.image(2).subarray(0, 3)), [14, 15, 16]);
      assert.match(split.source, /official split 30\/10/);
    }
    // Stratified prefixes and class selection work the same as on the embedded set.
    const sub = loadIdxDataset(path.join(tmp, 'set-raw'), { classes: [2, 7], trainSize: 4 });
    assert.deepEqual(sub.train.classCounts(), [2, 2]);
    assert.deepEqual(sub.train.classNames, ['2', '7']);
    assert.deepEqual(sub.test.classCounts(), [1, 1]);
  });

  it('reports a count mismatch between image and label files, and mismatched image sizes', () => {
    const dir = path.join(tmp, 'mismatch');
    writeDataset(dir, 12, 5);
    write(path.join(dir, 'train-labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [11], fakeLabels(11)));
    assert.throws(
      () => loadIdxDataset(dir),
      (e: Error) => /count mismatch: .*train-images-idx3-ubyte has 12 images but .*train-labels-idx1-ubyte has 11 labels/.test(e.message),
    );
    const sizes = path.join(tmp, 'sizes');
    writeDataset(sizes, 4, 4);
    write(path.join(sizes, 't10k-images-idx3-ubyte'), idxBytes(IDX_IMAGES_MAGIC, [4, 8, 8], fakeImages(4, 8, 8)));
    assert.throws(() => loadIdxDataset(sizes), /image size mismatch: .* 28×28 images, .* 8×8/);
  });

  it('finds nothing in an empty folder, and names the missing files of an incomplete one', () => {
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    assert.equal(findIdxFiles(empty), undefined);
    assert.throws(() => loadIdxDataset(empty), /no IDX dataset found/);
    const half = path.join(tmp, 'half');
    writeDataset(half, 2, 2);
    fs.rmSync(path.join(half, 't10k-labels-idx1-ubyte'));
    assert.throws(() => findIdxFiles(half), /incomplete IDX dataset: missing t10k-labels-idx1-ubyte\[\.gz\]/);
  });

  it('loadDataset: directories, unknown names, where it looked; an explicit data dir is the only place searched', () => {
    const dir = path.join(tmp, 'set-gz');
    assert.equal(loadDataset(dir).train.size, 30);
    assert.throws(() => loadDataset('cifar-10'), (e: Error) => e instanceof DatasetError
      && /dataset: expected mnist, mnist-embedded, mnist-official, fashion-mnist or a directory of IDX files, got 'cifar-10'/.test(e.message));
    const nowhere = path.join(tmp, 'nowhere');
    assert.throws(
      () => loadDataset('fashion-mnist', { searchDirs: [nowhere] }),
      (e: Error) => e instanceof DatasetError && e.message.includes(nowhere) && /qkc data download fashion-mnist/.test(e.message) && /QKC_DATA_DIR/.test(e.message),
    );
    // 'mnist' is the embedded split, whatever files exist; it reads no folder, so a data dir is refused.
    const mnist = loadDataset('mnist', { trainSize: 50, testSize: 10 });
    assert.match(mnist.source, /^embedded/);
    assert.deepEqual([mnist.train.size, mnist.test.size], [50, 10]);
    assert.throws(() => loadDataset('mnist', { dataDir: tmp }), (e: Error) => e instanceof DatasetError && /^dataDir: expected no data directory for 'mnist'/.test(e.message));
    // A missing data dir is an error naming it, not a fallback to another copy (the bundled one, Debian's).
    for (const name of ['mnist-official', 'fashion-mnist']) {
      assert.throws(() => loadDataset(name, { dataDir: nowhere }),
        (e: Error) => e instanceof DatasetError && e.message === `dataDir: expected an existing directory (holding <name>/ folders of IDX files), got '${nowhere}'`);
    }
    // An existing data dir without the dataset's folder: an error naming the folder it looked in.
    assert.throws(() => loadDataset('fashion-mnist', { dataDir: tmp }),
      (e: Error) => e instanceof DatasetError && e.message.startsWith(`dataDir: expected the four IDX files of fashion-mnist in ${path.join(tmp, 'fashion-mnist')}, got none there`));
    // 'mnist-official' from a data dir checks that the files are the official ones.
    const root = path.join(tmp, 'root');
    writeDataset(path.join(root, 'mnist'), 20, 10);
    assert.throws(() => loadDataset('mnist-official', { dataDir: root }),
      (e: Error) => e instanceof DatasetError && /expected the official MNIST class counts \[5923, 6742, .*got \[2, 2, 2/.test(e.message));
  });

  it('refuses labels outside the declared classes, and test labels the training set never had', () => {
    const declared = path.join(tmp, 'declared');
    writeDataset(declared, 20, 10);
    assert.throws(() => loadIdxDataset(declared, { classNames: ['a', 'b', 'c'] }),
      (e: Error) => e instanceof DatasetError && /train-labels-idx1-ubyte: expected labels in \[0, 2\] \(the 3 declared classes of declared\), got label 3 at position 3/.test(e.message));
    const unseen = path.join(tmp, 'unseen');
    writeDataset(unseen, 20, 10);
    const labels = fakeLabels(10, 5);
    labels[4] = 7; // 0…4 in training only
    write(path.join(unseen, 'train-labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [20], fakeLabels(20, 5)));
    write(path.join(unseen, 't10k-labels-idx1-ubyte'), idxBytes(IDX_LABELS_MAGIC, [10], labels));
    assert.throws(() => loadIdxDataset(unseen),
      (e: Error) => e instanceof DatasetError && /t10k-labels-idx1-ubyte: expected labels in \[0, 4\] \(the classes 0…4 of the training labels\), got label 7 at position 4/.test(e.message));
  });
});
