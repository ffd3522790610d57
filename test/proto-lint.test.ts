// The API stays within buf's STANDARD and COMMENTS lint rules (buf.yaml).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

const test = suite('proto lint');

test('buf lint finds nothing in proto/', async () => {
  try {
    await run(join(root, 'node_modules/.bin/buf'), ['lint'], { cwd: root });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    assert.unreachable(`buf lint failed:\n${stdout}${stderr || error}`);
  }
});

test.run();
