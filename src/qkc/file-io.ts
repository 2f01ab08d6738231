/**
 * Saving and loading tfjs models in a directory on disk (model.json + weights.bin), the job tfjs-node's
 * file:// handler does when tfjs-node is installed. `fileSystemIO(dir)` is an IOHandler for
 * `model.save(...)` and `tf.loadLayersModel(...)`; importing qkc also registers it for 'file://' URLs
 * unless another handler (tfjs-node's) already serves them.
 */
import { promises as fsp } from 'fs';
import * as path from 'path';
import { tf } from '../backend';
import { writeFileAtomic } from '../util/atomic';

/** File names inside a saved-model directory. */
export const MODEL_JSON = 'model.json';
/** Weights file name (one shard). */
export const WEIGHTS_BIN = 'weights.bin';

/** A model directory from a path or file:// URL; a path ending in model.json means its directory. */
function modelDir(location: string): string {
  if (typeof location !== 'string' || location.length === 0) throw new Error(`fileSystemIO(dir): expected a directory path, got ${String(location)}`);
  const p = location.startsWith('file://') ? location.slice('file://'.length) : location;
  return path.basename(p) === MODEL_JSON ? path.dirname(p) : p;
}

/**
 * An IOHandler that saves to / loads from directory `dir`. Saving writes weights.bin and then model.json,
 * each atomically (temporary file, fsync, rename), so a reader never sees a half-written file.
 */
export function fileSystemIO(dir: string): tf.io.IOHandler {
  const root = modelDir(dir);
  const jsonPath = path.join(root, MODEL_JSON);
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('fileSystemIO.save: binary model topologies (graph models) are not supported; save a tf.LayersModel');
      }
      await fsp.mkdir(root, { recursive: true });
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.signature ? { signature: artifacts.signature } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      // Weights first, model.json last: a reader that finds the new model.json also finds its weights.
      await writeFileAtomic(path.join(root, WEIGHTS_BIN), weights);
      await writeFileAtomic(jsonPath, JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      let text: string;
      try {
        text = await fsp.readFile(jsonPath, 'utf8');
      } catch (e) {
        throw new Error(`fileSystemIO.load: cannot read ${jsonPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); expected a directory written by model.save`);
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (e) {
        throw new Error(`fileSystemIO.load: ${jsonPath} is not valid JSON (${(e as Error).message})`);
      }
      if (json == null || typeof json !== 'object' || json.modelTopology == null || !Array.isArray(json.weightsManifest)) {
        throw new Error(`fileSystemIO.load: ${jsonPath} lacks modelTopology or weightsManifest`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          for (const p of group.paths) {
            const file = path.join(root, p);
            const data = await fsp.readFile(file).catch((e: NodeJS.ErrnoException) => {
              throw new Error(`fileSystemIO.load: cannot read weights file ${file} (${e.code ?? e.message})`);
            });
            buffers.push(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
          }
        }
        const specs = tf.io.getWeightSpecs(manifest);
        const joined = tf.io.CompositeArrayBuffer.join(buffers);
        const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * (s.dtype === 'int32' || s.dtype === 'float32' ? 4 : 1), 0);
        if (joined.byteLength !== expected && specs.every((s) => !s.quantization)) {
          throw new Error(`fileSystemIO.load: weights in ${root} have ${joined.byteLength} bytes, the manifest describes ${expected}`);
        }
        return [specs, joined];
      });
    },
  };
}

/**
 * The file:// router: a URL 'file://dir' (or 'file://dir/model.json') maps to fileSystemIO(dir). It
 * steps aside once tfjs-node is loaded (its 'tensorflow' backend exists), since tfjs-node then routes
 * file:// itself and two handlers for one URL are an error in tfjs.
 */
const fileRouter = ((url: string | string[]): tf.io.IOHandler | null => {
  if (tf.findBackendFactory('tensorflow') != null) return null;
  return typeof url === 'string' && url.startsWith('file://') ? fileSystemIO(url) : null;
  // tfjs's IORouter type says IOHandler, but its registry expects null for "not mine", as its own routers return.
}) as unknown as Parameters<typeof tf.io.registerSaveRouter>[0];

/** Registers fileSystemIO for 'file://' URLs unless a handler (tfjs-node's) already serves them. */
export function registerFileSystemRouter(): void {
  if (tf.io.getSaveHandlers('file://probe').length === 0) tf.io.registerSaveRouter(fileRouter);
  if (tf.io.getLoadHandlers('file://probe').length === 0) tf.io.registerLoadRouter(fileRouter);
}

registerFileSystemRouter();
