/**
 * Reading the project's JSON files back (summaries, study results, search tables, run records): one place
 * decides what a missing, unreadable, malformed or foreign file says, so every reader names the file, what was
 * expected, what came and, when given, the command that writes it.
 */
import * as fs from 'fs';
import { ArgumentError } from './errors';

/** A JSON file that cannot be read, is not valid JSON or carries another format tag; `argument` is the file. */
export class JsonFileError extends ArgumentError {}

/** The JSON value in `file`; a JsonFileError naming it when it cannot be read (`hint`: what writes it) or is not valid JSON. */
export function readJsonFile(file: string, hint?: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new JsonFileError(file, 'a readable file', `cannot read it (${(e as Error).message})`, hint);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new JsonFileError(file, 'valid JSON', `a file that does not parse (${(e as Error).message})`);
  }
}

/**
 * The JSON object in `file` whose `format` tag is one of `formats` (one string or several); a JsonFileError
 * naming the file when it cannot be read, is not JSON, or has another format (the tag found is quoted).
 */
export function readFormattedJson<T>(file: string, formats: string | readonly string[], hint?: string): T {
  const value = readJsonFile(file, hint) as { format?: unknown } | null;
  const allowed = typeof formats === 'string' ? [formats] : formats;
  const format = value !== null && typeof value === 'object' ? value.format : undefined;
  if (typeof format !== 'string' || !allowed.includes(format)) {
    throw new JsonFileError(file, `format ${allowed.map((f) => `'${f}'`).join(' or ')}`, format === undefined ? 'no format tag' : JSON.stringify(format));
  }
  return value as T;
}
