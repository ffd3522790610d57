// tsx runs the code without checking types; this makes a type error fail the tests.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

const test = suite('typecheck');

test('tsc --noEmit finds no type errors', async () => {
  try {
    await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', root], { cwd: root });
  } catch (error) {
    const { stdout = '' } = error as { stdout?: string };
    assert.unreachable(`type errors:\n${stdout || error}`);
  }
});

test.run();
