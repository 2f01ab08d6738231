/**
 * `npm run kernel:install`: registers the tslab TypeScript kernel for this project only, under
 * .jupyter-kernel (nothing global). Jupyter started with JUPYTER_PATH=<project>/.jupyter-kernel/share/jupyter
 * finds it; `npm run lab` and the notebook scripts set that themselves.
 */
import { JUPYTER_DATA_DIR, registerKernel } from './jupyter';
import { projectPython } from '../src/util/python';

try {
  const spec = registerKernel(projectPython());
  console.log(`registered ${spec}\nuse it with JUPYTER_PATH=${JUPYTER_DATA_DIR}`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
