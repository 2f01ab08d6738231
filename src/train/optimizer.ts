/**
 * Adam with parameter groups (so quantum weights can have their own learning rate) and a state that a
 * checkpoint can store and restore exactly. Written here rather than using tf.train.adam because that
 * optimizer keys its moments by variable name and creates them lazily, which makes an exact
 * save/restore into a freshly built model (whose variable names differ) awkward.
 */
import { tf } from '../backend';

/** Variables that share one learning rate. */
export interface ParamGroup {
  /** Label used in messages and checkpoints ('classical', 'quantum'). */
  name: string;
  variables: tf.Variable[];
  learningRate: number;
}

/** Adam's hyper-parameters (defaults as in Kingma & Ba and Keras). */
export interface AdamConfig {
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Default Adam hyper-parameters. */
export const ADAM_DEFAULTS: Readonly<AdamConfig> = { beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Adam's state in plain arrays: step count plus first and second moments, one per variable in group order. */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * Variables up to this size are updated on the host in one pass (the same float32 operations in the same
 * order, so the same bits as the tensor ops), instead of by ~12 small backend ops each: on the wasm backend
 * the per-op cost of those ops was 15 % of a control-small training step (issue 14 item 4).
 */
export const HOST_UPDATE_MAX_SIZE = 16384;

type Entry = { variable: tf.Variable; lr: number; m: tf.Variable; v: tf.Variable };

/** Adam over several parameter groups; moments live on the backend as variables. */
export class Adam {
  /** Number of updates applied so far (t in the paper). */
  step = 0;
  /** Multiplies every group's learning rate (a schedule sets it per epoch; 1 leaves the update bit for bit as without it). */
  lrScale = 1;
  private readonly entries: Entry[] = [];
  private readonly hostUpdateMaxSize: number;

  /** `options.hostUpdateMaxSize`: largest variable updated on the host (default HOST_UPDATE_MAX_SIZE; 0: none). */
  constructor(groups: readonly ParamGroup[], readonly config: AdamConfig = ADAM_DEFAULTS, options: { hostUpdateMaxSize?: number } = {}) {
    this.hostUpdateMaxSize = options.hostUpdateMaxSize ?? HOST_UPDATE_MAX_SIZE;
    const seen = new Set<tf.Variable>();
    for (const g of groups) {
      if (!(g.learningRate > 0) || !Number.isFinite(g.learningRate)) {
        throw new Error(`Adam: learning rate of group '${g.name}' must be a finite number > 0, got ${g.learningRate}`);
      }
      for (const variable of g.variables) {
        if (seen.has(variable)) throw new Error(`Adam: variable '${variable.name}' appears in more than one group`);
        seen.add(variable);
        this.entries.push({
          variable,
          lr: g.learningRate,
          // tidy frees the zeros; variables survive it.
          m: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
          v: tf.tidy(() => tf.variable(tf.zerosLike(variable), false)),
        });
      }
    }
  }

  /** The optimised variables in state order. */
  get variables(): tf.Variable[] {
    return this.entries.map((e) => e.variable);
  }

  /**
   * One Adam update from `grads` (keyed by variable name, as tf.variableGrads returns them). A variable
   * without a gradient (not connected to the loss) keeps its value and moments, as in Keras.
   */
  applyGradients(grads: tf.NamedTensorMap): void {
    this.step += 1;
    const { beta1, beta2, epsilon } = this.config;
    // Bias corrections in double precision, folded into one step size (Kingma & Ba, section 2).
    const correction = Math.sqrt(1 - Math.pow(beta2, this.step)) / (1 - Math.pow(beta1, this.step));
    if (!(this.lrScale > 0) || !Number.isFinite(this.lrScale)) throw new Error(`Adam: lrScale must be a finite number > 0, got ${this.lrScale}`);
    const scale = this.lrScale;
    tf.tidy(() => {
      for (const e of this.entries) {
        const g = grads[e.variable.name];
        if (g == null) continue;
        if (e.variable.size <= this.hostUpdateMaxSize && e.variable.dtype === 'float32' && g.dtype === 'float32') {
          this.hostUpdate(e, g, (scale === 1 ? e.lr : e.lr * scale) * correction);
          continue;
        }
        const m = tf.add(tf.mul(e.m, beta1), tf.mul(g, 1 - beta1));
        const v = tf.add(tf.mul(e.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        e.m.assign(m);
        e.v.assign(v);
        const update = tf.div(tf.mul(m, (scale === 1 ? e.lr : e.lr * scale) * correction), tf.add(tf.sqrt(v), epsilon));
        e.variable.assign(tf.sub(e.variable, update));
      }
    });
  }

  /**
   * The update of `applyGradients` for one variable, computed on the host: every operation rounded to
   * float32 as the backend's float32 kernels round it (a product or sum of two float32 values is exact in
   * a double, so one Math.fround gives the correctly rounded float32 result, as do sqrt and division).
   */
  private hostUpdate(e: Entry, grad: tf.Tensor, stepSize: number): void {
    const f = Math.fround;
    const { beta1, beta2, epsilon } = this.config;
    const b1 = f(beta1), c1 = f(1 - beta1), b2 = f(beta2), c2 = f(1 - beta2), s = f(stepSize), eps = f(epsilon);
    const g = grad.dataSync() as Float32Array, m0 = e.m.dataSync() as Float32Array, v0 = e.v.dataSync() as Float32Array;
    const x0 = e.variable.dataSync() as Float32Array;
    const n = g.length;
    const m = new Float32Array(n), v = new Float32Array(n), x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = f(f(m0[i] * b1) + f(gi * c1));
      const vi = f(f(v0[i] * b2) + f(f(gi * gi) * c2));
      m[i] = mi;
      v[i] = vi;
      x[i] = f(x0[i] - f(f(mi * s) / f(f(Math.sqrt(vi)) + eps)));
    }
    e.m.assign(tf.tensor(m, e.m.shape, 'float32'));
    e.v.assign(tf.tensor(v, e.v.shape, 'float32'));
    e.variable.assign(tf.tensor(x, e.variable.shape, 'float32'));
  }

  /** Copies the state off the backend (for checkpoints). */
  async getState(): Promise<AdamState> {
    const m: Float32Array[] = [];
    const v: Float32Array[] = [];
    for (const e of this.entries) {
      m.push((await e.m.data()) as Float32Array);
      v.push((await e.v.data()) as Float32Array);
    }
    return { step: this.step, m, v };
  }

  /** Restores a state from `getState`, checking that it fits these variables. */
  setState(state: AdamState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new Error(`Adam.setState: step must be an integer ≥ 0, got ${state.step}`);
    if (state.m.length !== this.entries.length || state.v.length !== this.entries.length) {
      throw new Error(`Adam.setState: expected moments for ${this.entries.length} variables, got ${state.m.length} (m) and ${state.v.length} (v)`);
    }
    this.entries.forEach((e, i) => {
      if (state.m[i].length !== e.variable.size || state.v[i].length !== e.variable.size) {
        throw new Error(`Adam.setState: moments of variable ${i} have ${state.m[i].length}/${state.v[i].length} values, expected ${e.variable.size}`);
      }
      tf.tidy(() => {
        e.m.assign(tf.tensor(state.m[i], e.variable.shape, 'float32'));
        e.v.assign(tf.tensor(state.v[i], e.variable.shape, 'float32'));
      });
    });
    this.step = state.step;
  }

  /** Frees the moment variables. */
  dispose(): void {
    for (const e of this.entries) {
      e.m.dispose();
      e.v.dispose();
    }
    this.entries.length = 0;
  }
}
