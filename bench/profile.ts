// `--profile`: the Relay end-to-end workload with the gateway under `node --cpu-prof`, and a summary of
// the profile: where the gateway's CPU goes by component, and the functions with the most self time.
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildGateway } from './peers/gateway-process.ts';
import { commandStats, resetStats, type CommandStat } from './peers/private-redis.ts';
import { RelayTarget } from './peers/relay.ts';
import { describeShape, standardShape, withTopic, type ScenarioContext, type ScenarioOutput } from './scenarios/common.ts';
import { formatCount } from './stats.ts';
import type { Table } from './table.ts';
import type { Sizes } from './options.ts';
import { measureThroughput, type ThroughputResult } from './workload.ts';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface CpuProfile {
  readonly nodes: { readonly id: number; readonly callFrame: CallFrame; readonly children?: number[] }[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Self time (ms) in all, by component, by function, and Relay's functions by total time. */
export interface ProfileTimes {
  readonly total: number;
  readonly byComponent: Map<string, number>;
  readonly byFunction: Map<string, number>;
  readonly ownInclusive: Map<string, number>;
}

/** Where the time went, over the samples between fromMs and toMs after the profile started. */
export function profileTimes(path: string, fromMs: number, toMs: number): ProfileTimes {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const byFunction = new Map<string, number>();
  const ownInclusive = new Map<string, number>();
  const byComponent = new Map<string, number>();
  let total = 0;
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i]! / 1000;
    // The time until the next sample is spent where this one is.
    const spent = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (at < fromMs || at > toMs) continue;
    const frame = frames.get(profile.samples[i]!)!;
    if (frame.functionName === '(idle)') continue;
    total += spent;
    const where = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(where, (byFunction.get(where) ?? 0) + spent);
    const component = componentOf(frame);
    byComponent.set(component, (byComponent.get(component) ?? 0) + spent);
    // Relay's own functions on the stack, each counted once per sample.
    const onStack = new Set<string>();
    for (let id: number | undefined = profile.samples[i]!; id !== undefined; id = parents.get(id)) {
      const caller = frames.get(id)!;
      if (/\/(gateway|adapters)\//.test(caller.url)) onStack.add(`${caller.functionName || '(anonymous)'} ${shortUrl(caller.url)}`);
    }
    for (const name of onStack) ownInclusive.set(name, (ownInclusive.get(name) ?? 0) + spent);
  }
  return { total, byComponent, byFunction, ownInclusive };
}

/** Self time by component and by function, over the samples between fromMs and toMs after the profile started. */
export function summarizeProfile(path: string, fromMs: number, toMs: number, top = 25): Table[] {
  const { total, byComponent, byFunction, ownInclusive } = profileTimes(path, fromMs, toMs);
  const rows = (map: Map<string, number>, limit: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, ms]) => [name, formatCount(ms), `${((ms / total) * 100).toFixed(1)}%`]);
  return [
    {
      title: `Gateway CPU by component (self time, ${formatCount(total)} ms busy during the load)`,
      columns: ['component', 'ms', 'share'],
      rows: rows(byComponent, 20),
    },
    { title: `Gateway: top ${top} functions by self time`, columns: ['function', 'ms', 'share'], rows: rows(byFunction, top) },
    { title: 'Gateway: Relay functions by total time (self + callees)', columns: ['function', 'ms', 'share'], rows: rows(ownInclusive, 20) },
  ];
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\/.*?\/node_modules\//, '')
    .replace(/^file:\/\/.*?\/(gateway|adapters|generated)\//, '$1/')
    .replace(/\?.*$/, '');
}

function componentOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith('(') ? functionName : `native: ${functionName || '(anonymous)'}`;
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  const own = /\/(gateway|adapters)\/([^?]+)/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  const internal = /^node:(?:internal\/)?([^/]+)/.exec(url);
  if (internal) return `node: ${internal[1]}`;
  return url;
}

/** Where Redis spent its time during the run: per command (scripts, and the commands they ran), per message. */
function commandTable(stats: readonly CommandStat[], messages: number): Table {
  const total = stats.find((stat) => stat.command === 'evalsha')?.usec ?? 0;
  return {
    title: 'Redis time by command during the profiled run (INFO commandstats)',
    columns: ['command', 'calls', 'µs per call', 'µs per message', 'total ms'],
    rows: [...stats]
      .sort((a, b) => b.usec - a.usec)
      .slice(0, 12)
      .map((stat) => [stat.command, formatCount(stat.calls), (stat.usec / stat.calls).toFixed(1), (stat.usec / messages).toFixed(2), formatCount(stat.usec / 1000)]),
    notes: [
      `evalsha is the whole of Relay's scripts (${formatCount(total / 1000)} ms of Redis time in all commands); the commands the scripts run are counted`,
      'again on their own lines, so the difference between evalsha and those lines is time spent in Lua itself.',
    ],
  };
}

/** A run of the standard end-to-end load on a gateway under `node --cpu-prof`. */
export interface ProfiledRun {
  readonly result: ThroughputResult;
  /** The .cpuprofile the gateway wrote. */
  readonly profile: string;
  /** The load's part of the profile, in ms after the gateway's spawn. */
  readonly window: readonly [number, number];
}

/**
 * Starts a gateway with `start` under `node --cpu-prof` (profile into `directory`), warms it up, runs
 * the standard end-to-end load, and closes it, which makes node write the profile. `beforeLoad` and
 * `afterLoad` run on the target around the load (after: before its topic is deleted).
 */
export async function profiledRun(
  directory: string,
  sizes: Sizes,
  start: (nodeArgs: readonly string[]) => Promise<RelayTarget>,
  around: { beforeLoad?(target: RelayTarget): Promise<void>; afterLoad?(target: RelayTarget): Promise<void> } = {},
): Promise<ProfiledRun> {
  mkdirSync(directory, { recursive: true });
  // Before the clock starts: the profile's times count from the gateway's spawn.
  buildGateway();
  const spawnedAt = performance.now();
  const target = await start(['--cpu-prof', `--cpu-prof-dir=${directory}`]);
  let window: [number, number];
  let result: ThroughputResult;
  try {
    await withTopic(target, 1, (topic) => measureThroughput(target, topic, { ...standardShape, messages: sizes.warmupMessages }));
    await around.beforeLoad?.(target);
    const loadFrom = performance.now() - spawnedAt;
    let loadTo = Number.NaN;
    result = await withTopic(target, 1, async (topic) => {
      const measured = await measureThroughput(target, topic, { ...standardShape, messages: sizes.endToEndMessages });
      // Before the topic is deleted: only the load's work.
      loadTo = performance.now() - spawnedAt;
      await around.afterLoad?.(target);
      return measured;
    });
    window = [loadFrom, loadTo];
  } finally {
    // SIGTERM: the gateway drains and exits, and node writes the profile.
    await target.close();
  }
  const file = readdirSync(directory).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`the gateway wrote no .cpuprofile into ${directory}`);
  return { result, profile: join(directory, file), window };
}

/** Runs the standard end-to-end workload against a profiled gateway and summarizes the profile. */
export async function profileRelay(context: ScenarioContext, directory: string): Promise<ScenarioOutput<{ profile: string }>> {
  const { sizes } = context.options;
  let redisTable: Table | undefined;
  const { result, profile, window } = await profiledRun(directory, sizes, (nodeArgs) => RelayTarget.start({ fsync: 'everysec', nodeArgs }), {
    beforeLoad: (target) => resetStats(target.redis.url),
    afterLoad: async (target) => {
      redisTable = commandTable(await commandStats(target.redis.url), sizes.endToEndMessages);
    },
  });
  const summary = `${formatCount(result.msgsPerSec)} msgs/s under the profiler (${formatCount(sizes.endToEndMessages)} messages, ${describeShape(standardShape)})`;
  const tables = summarizeProfile(profile, window[0], window[1]);
  return {
    id: 'profile',
    data: { profile },
    tables: [...tables.map((table, i) => (i === 0 ? { ...table, notes: [summary, `Profile: ${profile}`] } : table)), ...(redisTable ? [redisTable] : [])],
  };
}
