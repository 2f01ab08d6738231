/** The typed error of src/data: a dataset argument, file or label that is not what was expected. */
import { ArgumentError } from '../util/errors';

/** A dataset, data directory, file or label that cannot be used as given (message: argument, expected, got). */
export class DatasetError extends ArgumentError {}
