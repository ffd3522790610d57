// Command line of `npm run bench`, and the sizes of the full and the quick run.

/** The scenarios of a default run, in order. */
export const scenarioIds = ['comparison', 'fan-out', 'large-payloads', 'open-streams', 'backlog', 'idempotency-memory'] as const;
/** 'profile' runs only when asked for (--profile or --only profile). */
export type ScenarioId = (typeof scenarioIds)[number] | 'profile';
const knownIds: readonly string[] = [...scenarioIds, 'profile'];

export interface Sizes {
  /** Repetitions of every measurement; tables show medians. */
  readonly runs: number;
  /** End-to-end: messages per run, and a warm-up run of this many first on every target. */
  readonly endToEndMessages: number;
  readonly warmupMessages: number;
  /** Latency: fixed rates, measured seconds after warm-up seconds. */
  readonly latencyRates: readonly number[];
  readonly latencySeconds: number;
  readonly latencyWarmupSeconds: number;
  readonly fanOutMessages: number;
  readonly largePayloadMessages: number;
  readonly openStreams: number;
  readonly openStreamsMessages: number;
  /** Messages waiting before the backlog run, and messages of the run itself. */
  readonly backlogMessages: number;
  readonly backlogRunMessages: number;
  readonly idempotencyKeys: number;
}

export const fullSizes: Sizes = {
  runs: 3,
  endToEndMessages: 100_000,
  warmupMessages: 10_000,
  latencyRates: [1_000, 5_000],
  latencySeconds: 10,
  latencyWarmupSeconds: 1,
  fanOutMessages: 40_000,
  largePayloadMessages: 4_000,
  openStreams: 1_000,
  openStreamsMessages: 40_000,
  backlogMessages: 1_000_000,
  backlogRunMessages: 100_000,
  idempotencyKeys: 100_000,
};

export const quickSizes: Sizes = {
  runs: 1,
  endToEndMessages: 20_000,
  warmupMessages: 3_000,
  latencyRates: [1_000, 5_000],
  latencySeconds: 2,
  latencyWarmupSeconds: 0.5,
  fanOutMessages: 10_000,
  largePayloadMessages: 1_000,
  openStreams: 1_000,
  openStreamsMessages: 10_000,
  backlogMessages: 100_000,
  backlogRunMessages: 20_000,
  idempotencyKeys: 20_000,
};

export interface BenchOptions {
  readonly quick: boolean;
  readonly sizes: Sizes;
  /** Scenarios to run (all by default). */
  readonly scenarios: readonly ScenarioId[];
  /** The comparison's systems whose name starts with one of these (all when empty), case-insensitive. */
  readonly systems: readonly string[];
}

export const usage = `usage: npm run bench -- [--quick] [--runs N] [--only ${knownIds.join(',')}] [--systems S] [--profile]
  --quick      one run of each scenario with smaller counts (under 2 minutes)
  --runs N     repetitions of every measurement (medians are shown); default 3, 1 with --quick
  --only ...   run only these scenarios (comma separated)
  --systems S  compare only the systems whose name starts with one of S (comma separated, e.g. relay,redis)
  --profile    also profile the gateway (node --cpu-prof) during a Relay end-to-end run and print where its CPU goes`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  let quick = false;
  let runs: number | undefined;
  let scenarios: ScenarioId[] = [...scenarioIds];
  let profile = false;
  let systems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split(/=(.*)/s, 2);
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    if (flag === '--quick') quick = true;
    else if (flag === '--profile') profile = true;
    else if (flag === '--runs') {
      runs = Number(value());
      if (!Number.isInteger(runs) || runs < 1) fail('--runs must be a positive integer');
    } else if (flag === '--only') {
      const names = value().split(',');
      for (const name of names) if (!knownIds.includes(name)) fail(`unknown scenario ${name}`);
      scenarios = names as ScenarioId[];
    } else if (flag === '--systems') systems = value().toLowerCase().split(',');
    else if (flag === '--help' || flag === '-h') {
      console.log(usage);
      process.exit(0);
    } else fail(`unknown flag ${flag}`);
  }
  const sizes = quick ? quickSizes : fullSizes;
  if (profile && !scenarios.includes('profile')) scenarios.push('profile');
  return { quick, sizes: runs === undefined ? sizes : { ...sizes, runs }, scenarios, systems };
}

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}
