/**
 * The per-epoch metrics record, in a file of its own that imports nothing: the trainer's options
 * (callbacks) and the metrics files both use it, and metrics.ts also needs the run fingerprint, which
 * needs the options; a shared leaf keeps the files of src/train free of import cycles.
 */

/** One epoch's metrics. Training loss/accuracy are means over the epoch's steps (training mode). */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  loss: number;
  accuracy: number;
  /** null without validation data. */
  val_loss: number | null;
  val_accuracy: number | null;
  /** Seconds for the training pass (excludes validation and checkpointing). */
  epoch_time_s: number;
  /** Seconds for the validation pass (0 without validation data). */
  val_time_s: number;
  /** Circuit executions of the training steps (forward + backward, summed over quantum layers). */
  circuit_executions: number;
  /** Circuit executions of the validation pass (forward only). */
  val_circuit_executions: number;
}
