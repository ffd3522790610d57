// The committed generated files (generated/ts, the Python stubs under clients/python/relay and the Go
// stubs under clients/go/relay) are what scripts/gen.sh makes of proto/ now: the script runs in a scratch copy and the trees must match.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';

const root = new URL('..', import.meta.url).pathname;
const run = promisify(execFile);

/** Every file under dir, as paths relative to it; Python's bytecode caches left out. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !join(entry.parentPath, entry.name).includes('__pycache__'))
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

/** What differs between the committed tree and the fresh one, one line per file; empty when equal. */
function differences(committed: string, fresh: string): string[] {
  const ours = new Set(listFiles(committed));
  const theirs = new Set(listFiles(fresh));
  const problems: string[] = [];
  for (const file of theirs) {
    if (!ours.has(file)) problems.push(`missing: ${file}`);
    else if (!readFileSync(join(committed, file)).equals(readFileSync(join(fresh, file)))) problems.push(`stale: ${file}`);
  }
  for (const file of ours) if (!theirs.has(file)) problems.push(`not generated any more: ${file}`);
  return problems;
}

const test = suite<{ scratch?: string; setupError?: unknown }>('generated code');

// uvu 0.5 swallows an error thrown by a before hook: keep it for the tests to throw.
test.before(async (context) => {
  try {
    const scratch = (context.scratch = mkdtempSync(join(tmpdir(), 'relay-gen-')));
    for (const path of ['proto', 'scripts', 'package.json']) cpSync(join(root, path), join(scratch, path), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
    await run('bash', ['scripts/gen.sh'], { cwd: scratch, timeout: 120_000 });
  } catch (error) {
    const { stderr = '' } = error as { stderr?: string };
    context.setupError = new Error(`scripts/gen.sh failed in a scratch copy: ${error}\n${stderr}`);
  }
});

test.after(({ scratch }) => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

for (const [what, dir] of [
  ['TypeScript types', 'generated/ts'],
  ['Python stubs', 'clients/python/relay'],
  ['Go stubs', 'clients/go/relay'],
] as const) {
  test(`the committed ${what} (${dir}) match proto/: run npm run gen and commit when this fails`, ({ scratch, setupError }) => {
    if (setupError) throw setupError;
    assert.ok(listFiles(join(scratch!, dir)).length > 0, `scripts/gen.sh made nothing in ${dir}`);
    const problems = differences(join(root, dir), join(scratch!, dir));
    assert.equal(problems, [], `${dir} is out of date:\n  ${problems.join('\n  ')}`);
  });
}

test('the Python stubs import with clients/python on sys.path', async () => {
  const modules = ['admin', 'publisher', 'resources', 'subscriber', 'transaction'].flatMap((name) => [
    `relay.v1.${name}_pb2`,
    `relay.v1.${name}_pb2_grpc`,
  ]);
  try {
    await run('/usr/bin/python3', ['-c', `import ${modules.join(', ')}`], {
      cwd: join(root, 'clients/python'),
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1' },
    });
  } catch (error) {
    assert.unreachable(`importing the stubs failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
});

test('the Go stubs compile and vet clean with Debian\'s Go packages (clients/go/go.sh)', async () => {
  try {
    await run('clients/go/go.sh', ['vet', './relay/...'], {
      cwd: root,
      timeout: 600_000,
      // The build cache outlives the run: only the first run compiles gRPC.
      env: { PATH: process.env.PATH ?? '', TMPDIR: tmpdir(), GOCACHE: join(tmpdir(), 'relay-go-cache') },
    });
  } catch (error) {
    assert.unreachable(`go vet of the Go stubs failed: ${(error as { stderr?: string }).stderr ?? error}`);
  }
});

test.run();
