// Reading the project's JSON files back: every failure is a JsonFileError naming the file, what was expected
// and what came (with the hint saying what writes a missing file); a file of the right format comes back as is.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { ArgumentError, JsonFileError, readFormattedJson, readJsonFile } from '../src/util';
import { tmpDir } from './train-fixtures';

describe('util/json-file: readJsonFile, readFormattedJson', () => {
  const dir = tmpDir('qkc-json-file-');
  const file = (name: string, text: string): string => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    return f;
  };
  const fails = (f: () => unknown, file: string, message: RegExp): void =>
    assert.throws(f, (e: unknown) => e instanceof JsonFileError && e instanceof ArgumentError && e.argument === file && message.test((e as Error).message));

  it('returns the value of a file in one of the accepted formats', () => {
    const f = file('ok.json', JSON.stringify({ format: 'x/2', rows: [1, 2] }));
    assert.deepEqual(readFormattedJson(f, ['x/1', 'x/2']), { format: 'x/2', rows: [1, 2] });
    assert.deepEqual(readFormattedJson(f, 'x/2'), { format: 'x/2', rows: [1, 2] });
    assert.deepEqual(readJsonFile(file('list.json', '[1, 2]')), [1, 2]);
  });

  it('names the file and what came: missing (with the hint), not JSON, another format, no format, not an object', () => {
    const missing = path.join(dir, 'missing.json');
    fails(() => readFormattedJson(missing, 'x/1', 'run make-x first'), missing, /missing\.json: expected a readable file, got cannot read it \(ENOENT.*\); run make-x first$/);
    const broken = file('broken.json', '{"format": "x/1", ');
    fails(() => readFormattedJson(broken, 'x/1'), broken, /broken\.json: expected valid JSON, got a file that does not parse/);
    const other = file('other.json', JSON.stringify({ format: 'y/1' }));
    fails(() => readFormattedJson(other, ['x/1', 'x/2']), other, /other\.json: expected format 'x\/1' or 'x\/2', got "y\/1"$/);
    const none = file('none.json', JSON.stringify({ rows: [] }));
    fails(() => readFormattedJson(none, 'x/1'), none, /expected format 'x\/1', got no format tag$/);
    const scalar = file('null.json', 'null');
    fails(() => readFormattedJson(scalar, 'x/1'), scalar, /got no format tag$/);
  });
});
