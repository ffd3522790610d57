// Runs every test/**/*.test.ts in its own process (uvu suites), prints each file's outcome and ends
// with one line `N passed, N failed`. Exit code 1 when anything failed.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const only = process.argv.slice(2);

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return findTests(path);
      return entry.name.endsWith('.test.ts') ? [path] : [];
    })
    .sort();
}

/** A file still running after this long has hung: it fails, and its process group is killed. */
const fileTimeoutMs = 300_000;

function runFile(file: string): Promise<{ passed: number; failed: number; output: string; code: number | null }> {
  return new Promise((resolve) => {
    // Its own process group, so that a hung file's redis-servers and gateways go with it.
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const hung = setTimeout(() => {
      output += `\n${relative(root, file)} still running after ${fileTimeoutMs / 1000} s: killed\n`;
      process.kill(-child.pid!, 'SIGKILL');
    }, fileTimeoutMs);
    child.on('close', (code) => {
      clearTimeout(hung);
      // A file that crashed before its after-hooks ran leaves its redis-servers and gateways behind.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group is already gone: nothing was left.
      }
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const total = [...plain.matchAll(/Total:\s+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      const passed = [...plain.matchAll(/Passed:\s+(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
      // A file that crashed or ran no test counts as one failure, so it cannot pass silently.
      const failed = total - passed || (code !== 0 || total === 0 ? 1 : 0);
      resolve({ passed, failed, output, code });
    });
  });
}

const files = findTests(join(root, 'test')).filter((file) => only.length === 0 || only.some((part) => file.includes(part)));
// Most files spend their time waiting (leases, failovers, process starts): two at a time halves the
// run on two cores. RELAY_TEST_JOBS=1 runs them one by one.
const jobs = Math.max(1, Number(process.env.RELAY_TEST_JOBS ?? 2));
let passed = 0;
let failed = 0;
const started = Date.now();
const queue = [...files];
async function worker(): Promise<void> {
  for (let file = queue.shift(); file; file = queue.shift()) {
    const t0 = Date.now();
    const result = await runFile(file);
    passed += result.passed;
    failed += result.failed;
    const name = relative(root, file);
    const seconds = ((Date.now() - t0) / 1000).toFixed(1);
    if (result.failed > 0) {
      console.log(`FAIL ${name} (${result.passed} passed, ${result.failed} failed, ${seconds}s)\n${result.output}`);
    } else {
      console.log(`ok   ${name} (${result.passed} passed, ${seconds}s)`);
    }
  }
}
await Promise.all(Array.from({ length: jobs }, worker));
console.log(`\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
