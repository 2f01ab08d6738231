/** Small shared utilities with no dependencies: seeded randomness, atomic file writes, the project's Python. */
export { Rng } from './random';
export { writeFileAtomic, syncDirectory } from './atomic';
export type { AtomicWriteHooks } from './atomic';
export { ArgumentError } from './errors';
export { JsonFileError, readJsonFile, readFormattedJson } from './json-file';
export { jacobiHermitian } from './jacobi';
export { PROJECT_ROOT, VENV_DIR, projectPython, pythonProblem } from './python';
