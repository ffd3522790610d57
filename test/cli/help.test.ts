// The relay CLI's help and command-line mistakes: no gateway needed, nothing is ever called.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { commands, groups } from '../../cli/commands.ts';
import { runCli } from './run-cli.ts';

const test = suite('relay CLI help');

/** Runs `tasks` a few at a time (each is a process start). */
async function inBatches<T>(items: readonly T[], task: (item: T) => Promise<void>, size = 3): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(task));
}

test('--help works for every command: usage on stdout, exit 0', async () => {
  await inBatches(Object.keys(commands), async (path) => {
    const result = await runCli([...path.split(' '), '--help']);
    assert.is(result.code, 0, `relay ${path} --help: ${result.stderr}`);
    assert.ok(result.stdout.startsWith(`Usage: relay ${path}`), `relay ${path} --help printed:\n${result.stdout}`);
    assert.is(result.stderr, '');
    if (path !== 'serve') assert.match(result.stdout, /\nGlobal flags:\n  --addr HOST:PORT/);
  });
});

test('-h is --help, after the arguments too', async () => {
  const result = await runCli(['pub', 'orders', 'hello', '-h']);
  assert.is(result.code, 0);
  assert.match(result.stdout, /^Usage: relay pub TOPIC \[DATA\|-\|@file\] \[flags\]/);
});

test('--help of a group lists its subcommands', async () => {
  await inBatches(Object.keys(groups), async (group) => {
    const result = await runCli([group, '--help']);
    assert.is(result.code, 0);
    for (const path of Object.keys(commands).filter((path) => path.startsWith(`${group} `))) {
      assert.match(result.stdout, `relay ${path}`);
    }
  });
});

test('relay --help lists every command; relay alone prints the same on stderr and exits 2', async () => {
  const help = await runCli(['--help']);
  assert.is(help.code, 0);
  for (const path of Object.keys(commands).filter((path) => groups[path.split(' ')[0]!] === undefined)) {
    assert.match(help.stdout, new RegExp(`^  ${path}\\b`, 'm'));
  }
  for (const group of Object.keys(groups)) assert.match(help.stdout, new RegExp(`^  ${group} \\w+`, 'm'));
  const bare = await runCli([]);
  assert.is(bare.code, 2);
  assert.is(bare.stdout, '');
  assert.is(bare.stderr, help.stdout);
});

test('the words of gcloud and nats work too: subscriptions, publish, subscribe, transaction', async () => {
  const pairs: [string[], string][] = [
    [['subscriptions', 'create'], 'subs create'],
    [['publish'], 'pub'],
    [['subscribe'], 'sub'],
    [['transaction', 'commit'], 'txn commit'],
  ];
  await inBatches(pairs, async ([words, path]) => {
    const result = await runCli([...words, '--help']);
    assert.ok(result.stdout.startsWith(`Usage: relay ${path}`), result.stdout);
  });
});

test('serve --help lists the gateway settings from gateway/config.ts', async () => {
  const { stdout } = await runCli(['serve', '--help']);
  assert.match(stdout, /--listen \(RELAY_LISTEN\) +host:port to serve gRPC on/);
  assert.match(stdout, /--ack-deadline-ms \(RELAY_ACK_DEADLINE_MS\)/);
});

test('mistakes on the command line exit 2 with the problem and a pointer to --help on stderr', async () => {
  const cases: [string[], RegExp][] = [
    [['publsh', 'orders'], /^relay: unknown command "publsh"\nRun 'relay --help' for usage\.\n$/],
    [['topics', 'rename', 'a'], /^relay: unknown command "topics rename"; one of: create, list, get, delete\n/],
    [['topics'], /^Creates, lists, shows and deletes topics\./],
    [['inspect', 'orders'], /^relay: missing argument: relay inspect TOPIC MESSAGE_ID\nRun 'relay inspect --help' for usage\.\n$/],
    [['stats', 'a', 'b'], /^relay: unexpected argument "b"/],
    [['pub', 'orders', '--colour', 'red'], /^relay: Unknown option '--colour'/],
    [['subs', 'create', 's', '--topic', 't', '--ack-deadline', '30'], /--ack-deadline must be a duration with units such as 500ms, 30s/],
    [['subs', 'create', 's'], /--topic is required/],
    [['subs', 'create', 's', '--topic', 't', '--start', 'middle'], /--start must be earliest or latest/],
    [['pub', 'orders', '--count', '0'], /--count must be a whole number from 1 to /],
    [['pub', 'orders', '--batch', '10001'], /--batch must be a whole number from 1 to 10000, got "10001"/],
    [['pub', 'orders', '--attr', 'novalue'], /--attr takes KEY=VALUE, got "novalue"/],
    [['pub', 'orders', '--traceparent', 'abc'], /--traceparent must look like 00-/],
    [['seek', 's', '--time', 'yesterday'], /--time must be an ISO 8601 time, now, or a duration ago/],
    [['txn', 'prepare', '--message', 'no-equals-sign'], /--message takes TOPIC=DATA/],
    [['sub', 's', '--tls-cert', 'a.pem'], /cannot read a\.pem/],
    [['health', '--addr', 'http://localhost:50051'], /the gateway address \(--addr or RELAY_ADDR\) must be HOST:PORT, got "http:\/\/localhost:50051"/],
    [['health', '--addr', 'localhost'], /must be HOST:PORT, got "localhost"/],
  ];
  await inBatches(cases, async ([args, expected]) => {
    const result = await runCli(args);
    assert.is(result.code, 2, `relay ${args.join(' ')}: ${result.stderr}`);
    assert.is(result.stdout, '');
    assert.match(result.stderr, expected);
  });
});

test('with --json a mistake on the command line is a JSON document on stderr', async () => {
  const result = await runCli(['inspect', 'orders', '--json']);
  assert.is(result.code, 2);
  assert.equal(JSON.parse(result.stderr), { error: { code: 'USAGE', message: 'missing argument: relay inspect TOPIC MESSAGE_ID' } });
});

test('--version prints the package version', async () => {
  const result = await runCli(['--version']);
  assert.match(result.stdout, /^relay \d+\.\d+\.\d+\n$/);
});

test.run();
