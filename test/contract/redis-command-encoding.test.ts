// adapters/redis/scripts.ts writes its script calls itself (encodeCommand) instead of through ioredis's
// Command#toWritable: the bytes must be ioredis's, for every argument a call can carry. The script
// calls themselves (EVALSHA, EVAL on a new connection, NOSCRIPT after a flush) run in every Redis
// contract test; the flush is here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Command, Redis } from 'ioredis';
import { encodeCommand, runScript } from '../../adapters/redis/scripts.ts';
import { randomString, seeded } from '../helpers/random.ts';
import { startRedisServer } from '../helpers/redis-server.ts';

const test = suite('redis command encoding');

/** What ioredis writes for the command (its arguments stringified as it does: numbers as decimals). */
function ioredisBytes(name: string, args: (string | number | Buffer)[]): Buffer {
  const written = new Command(name, args).toWritable({});
  return typeof written === 'string' ? Buffer.from(written) : written;
}

function assertSameBytes(name: string, args: (string | number | Buffer)[]): void {
  const expected = ioredisBytes(name, args);
  // In two parts, as script calls give them (keys, then the rest).
  const split = Math.floor(args.length / 2);
  const actual = encodeCommand(name, args.slice(0, split), args.slice(split));
  if (!actual.equals(expected)) assert.unreachable(`${name} ${JSON.stringify(args)}:\n  ioredis ${expected.toString('hex')}\n  ours    ${actual.toString('hex')}`);
}

test('the shapes of script calls: the same bytes as ioredis', () => {
  const sha = 'a'.repeat(40);
  assertSameBytes('evalsha', [sha, 0]);
  assertSameBytes('evalsha', [sha, 2, 'relay:{t}:meta', 'relay:{t}:stream', 'prefix', 'channel', 100]);
  assertSameBytes('evalsha', [sha, 1, 'k', '', Buffer.alloc(0), Buffer.alloc(1024, 7), '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01']);
  assertSameBytes('eval', ['return 1', 0]);
  // Lengths at the edges of a digit (9, 10, 99, 100, 999, 1000 bytes) and UTF-8 that shortens the room.
  for (const length of [9, 10, 33, 34, 99, 100, 333, 334, 999, 1000]) {
    assertSameBytes('evalsha', [sha, 0, 'x'.repeat(length), Buffer.alloc(length, 1), 'é'.repeat(length), '日'.repeat(length)]);
  }
});

test('random arguments (strings of every width, lone surrogates, buffers, numbers): the same bytes as ioredis', () => {
  const random = seeded(20261124);
  for (let call = 0; call < 500; call++) {
    const args: (string | number | Buffer)[] = [];
    const count = Math.floor(random() * 12);
    for (let i = 0; i < count; i++) {
      const kind = random();
      if (kind < 0.5) args.push(randomString(random, random() < 0.9 ? 40 : 3000));
      else if (kind < 0.8) args.push(Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))));
      else args.push(Math.floor(random() * 1e9) - (random() < 0.2 ? 5e8 : 0));
    }
    assertSameBytes(random() < 0.5 ? 'evalsha' : 'eval', args);
  }
});

test('a script is sent in full on a new connection, then by SHA, and in full again after SCRIPT FLUSH', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.port, '127.0.0.1', { lazyConnect: true });
  // Any reply will do, an error from the script included (it runs without its keys): not NOSCRIPT.
  const run = () => runScript(redis, 'stats', [], []).catch((error: Error) => assert.not.match(error.message, /NOSCRIPT/));
  const calls = async () => {
    const info = await redis.info('commandstats');
    const count = (command: string) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0);
    return { eval: count('eval'), evalsha: count('evalsha') };
  };
  try {
    await redis.connect();
    await run();
    await run();
    assert.equal(await calls(), { eval: 1, evalsha: 1 }, 'EVAL first on the connection, then EVALSHA');
    await redis.script('FLUSH');
    await run();
    assert.equal(await calls(), { eval: 2, evalsha: 2 }, 'after the flush: EVALSHA (NOSCRIPT), then EVAL again');
    await run();
    assert.equal(await calls(), { eval: 2, evalsha: 3 }, 'and EVALSHA from then on');
  } finally {
    redis.disconnect();
    await server.stop();
  }
});

test.run();
