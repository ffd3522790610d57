// `relay serve` runs the gateway itself, and bin/relay runs from anywhere: another directory, a
// symlink (as npm links bins into node_modules/.bin) and npx.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep } from '../helpers/client.ts';
import { freePort } from '../helpers/redis-server.ts';
import { bin, root, runCli } from './run-cli.ts';

const test = suite('relay serve and the bin');
const elsewhere = mkdtempSync(join(tmpdir(), 'relay-cwd-'));

test.after(() => rmSync(elsewhere, { recursive: true, force: true }));

test('relay serve starts a gateway on the memory store that answers health, logs JSON lines; SIGTERM exits 0', async () => {
  const port = await freePort();
  const child = spawn(process.execPath, [bin, 'serve', '--listen', `127.0.0.1:${port}`], {
    cwd: elsewhere,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk) => ((output += chunk), (stdout += chunk)));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  try {
    const deadline = Date.now() + 30_000;
    while (!output.includes('"msg":"serving"')) {
      assert.is(child.exitCode, null, `relay serve exited early:\n${output}`);
      assert.ok(Date.now() < deadline, `relay serve did not serve within 30 s:\n${output}`);
      await sleep(50);
    }
    assert.match(output, /"store":"memory"/);
    assert.match(output, /memory store; nothing survives a restart/);
    const health = await runCli(['health', '--addr', `127.0.0.1:${port}`]);
    assert.is(health.stdout, 'SERVING\n', health.stderr);
    child.kill('SIGTERM');
    assert.is(await exited, 0, output);
    assert.match(output, /"msg":"stopped"/);
    const lines = stdout.split('\n').filter(Boolean);
    assert.ok(lines.length > 0 && lines.every((line) => typeof JSON.parse(line).msg === 'string'), 'its output is JSON lines (structured logs)');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});

test('relay serve with a bad setting lists the problem and exits 2', async () => {
  const result = await runCli(['serve', '--listen', 'nowhere', '--no-such-setting', '1']);
  assert.is(result.code, 2);
  assert.match(result.stderr, /invalid configuration:\n {2}- unknown flag --no-such-setting\n {2}- RELAY_LISTEN must be host:port/);
});

test('bin/relay runs from another directory and through a symlink, as npm links it', async () => {
  const fromElsewhere = await runCli(['--version'], { cwd: elsewhere });
  assert.match(fromElsewhere.stdout, /^relay \d/, fromElsewhere.stderr);
  const link = join(elsewhere, 'relay');
  symlinkSync(bin, link);
  const linked = await runCli(['topics', 'create', '--help'], { cwd: elsewhere, command: [link] });
  assert.is(linked.code, 0, linked.stderr);
  assert.match(linked.stdout, /^Usage: relay topics create TOPIC/);
});

test('npx relay runs the package bin', async () => {
  const result = await runCli(['--offline', '--no-install', 'relay', 'health', '--help'], { cwd: root, command: ['npx'], timeoutMs: 120_000 });
  assert.is(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Usage: relay health/);
});

test.run();
