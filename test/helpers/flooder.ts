// A publisher that ignores every limit: `node --import tsx test/helpers/flooder.ts <address> <token> <topic> <loops> <calls/s>`
// publishes batches of ten 100-byte messages from <loops> concurrent loops, together at most <calls/s>
// (0: as fast as answers come back), whatever it is told, in its own process (so
// its client-side work does not share an event loop with whatever it is measured against). Prints
// "ready" once its first call was answered; stops when its stdin closes, then prints
// {"ok":N,"exhausted":N,"other":N}.
import { status } from '@grpc/grpc-js';
import { connectAs, outcome } from './secure-client.ts';

const [address, token, topic, loops, callsPerSecond] = process.argv.slice(2);
const intervalMs = Number(callsPerSecond) ? (1000 * Number(loops)) / Number(callsPerSecond) : 0;
const client = connectAs(address!, { kind: 'plaintext' }, token);
const counts = { ok: 0, exhausted: 0, other: 0 };
const messages = Array.from({ length: 10 }, () => ({ data: Buffer.alloc(100, 1) }));
let running = true;
let ready = false;
process.stdin.on('end', () => (running = false)).resume();

await Promise.all(
  Array.from({ length: Number(loops) }, async () => {
    for (let next = Date.now(); running; next += intervalMs) {
      if (next > Date.now()) await new Promise((resolve) => setTimeout(resolve, next - Date.now()));
      const { code } = await outcome(client.call(client.publisher, 'Publish', { topic, messages }));
      if (code === status.OK) counts.ok++;
      else if (code === status.RESOURCE_EXHAUSTED) counts.exhausted++;
      else counts.other++;
      if (!ready) {
        ready = true;
        process.stdout.write('ready\n');
      }
    }
  }),
);
client.close();
process.stdout.write(JSON.stringify(counts) + '\n');
