/** Whether tfjs is recording a gradient tape: the one test of "can a backward pass follow this run". */
import { tf } from '../../backend';

/**
 * True inside tf.grad / tf.variableGrads / optimizer.minimize (model.fit), false in predict and plain
 * calls. Only a run made while recording can be differentiated afterwards, so only then are states kept
 * for a backward pass and counted by the memory guard (a forward evaluation of a layer needs far less).
 */
export function gradientRecording(): boolean {
  return tf.engine().state.gradientDepth > 0;
}
