// Ratios Relay / peer, and the issue's targets with PASS or MISS and the gap, from the scenarios' data.
import type { BacklogData } from './scenarios/backlog.ts';
import type { ComparisonData } from './scenarios/comparison.ts';
import type { FanOutData } from './scenarios/fan-out.ts';
import type { IdempotencyData } from './scenarios/idempotency-memory.ts';
import type { OpenStreamsData } from './scenarios/open-streams.ts';
import { formatCount, formatMiB, formatMs, formatRatio } from './stats.ts';
import type { Table } from './table.ts';

export interface Results {
  comparison?: ComparisonData;
  fanOut?: FanOutData;
  openStreams?: OpenStreamsData;
  backlog?: BacklogData;
  idempotency?: IdempotencyData;
}

const relayNames = ['Relay (everysec)', 'Relay (always)'];

export function ratiosTable(data: ComparisonData): Table {
  const rates = Object.keys(Object.values(data.latency)[0] ?? {}).map(Number);
  const rows: string[][] = [];
  for (const relay of relayNames) {
    const ours = data.endToEnd[relay];
    if (!ours) continue;
    const fsync = relay.slice(relay.indexOf('('));
    // Raw Redis only with the same fsync policy; the brokers with both.
    const peers = Object.keys(data.endToEnd).filter((name) => !name.startsWith('Relay') && (!name.startsWith('Redis') || name.endsWith(fsync)));
    for (const peer of peers) {
      const theirs = data.endToEnd[peer]!;
      rows.push([
        `${relay} / ${peer}`,
        formatRatio(ours.median.msgsPerSec / theirs.median.msgsPerSec),
        ...rates.flatMap((rate) => {
          const a = data.latency[relay]?.[rate]?.median;
          const b = data.latency[peer]?.[rate]?.median;
          return a && b ? [formatRatio(a.p50Ms / b.p50Ms), formatRatio(a.p99Ms / b.p99Ms)] : ['–', '–'];
        }),
      ]);
    }
  }
  return {
    title: 'Ratios Relay / peer (same run)',
    columns: ['', 'throughput (higher is better)', ...rates.flatMap((rate) => [`p50 at ${formatCount(rate)}/s (lower is better)`, `p99 at ${formatCount(rate)}/s`])],
    rows,
  };
}

interface Check {
  readonly target: string;
  readonly measured: string;
  /** measured / limit, oriented so that >= 1 passes. */
  readonly score: number;
  readonly gap: string;
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(fraction < 0.1 ? 1 : 0)}%`;
}

/** A "measured >= required" check. */
function atLeast(target: string, measured: number, required: number, show: (value: number) => string): Check {
  const score = measured / required;
  return {
    target,
    measured: show(measured),
    score,
    gap: score >= 1 ? `${percent(score - 1)} above` : `${percent(1 - score)} short (needs ${show(required)})`,
  };
}

/** A "measured <= limit" check. */
function atMost(target: string, measured: number, limit: number, show: (value: number) => string): Check {
  const score = limit / measured;
  return {
    target,
    measured: show(measured),
    score,
    gap: score >= 1 ? `${percent(1 - measured / limit)} headroom` : `${formatRatio(measured / limit)} the limit (${show(measured - limit)} over)`,
  };
}

function throughputChecks(data: ComparisonData): Check[] {
  const checks: Check[] = [];
  const rate = (name: string) => data.endToEnd[name]?.median.msgsPerSec;
  const ratio = (value: number) => formatRatio(value);
  for (const fsync of ['everysec', 'always'] as const) {
    const relay = rate(`Relay (${fsync})`);
    if (relay === undefined) continue;
    const rabbit = rate('RabbitMQ');
    const nats = rate('NATS JetStream');
    const redis = rate(`Redis Streams (${fsync})`);
    if (rabbit) checks.push(atLeast(`end to end >= 1.5 x RabbitMQ (Relay ${fsync})`, relay / rabbit, 1.5, ratio));
    if (nats) checks.push(atLeast(`end to end >= 2 x NATS JetStream (Relay ${fsync})`, relay / nats, 2, ratio));
    if (redis) checks.push(atLeast(`end to end >= 0.6 x raw Redis Streams with dedup (both ${fsync})`, relay / redis, 0.6, ratio));
  }
  return checks;
}

function latencyChecks(data: ComparisonData): Check[] {
  const checks: Check[] = [];
  const ms = (value: number) => `${formatMs(value)} ms`;
  for (const relay of relayNames) {
    const at1k = data.latency[relay]?.[1000]?.median;
    if (!at1k) continue;
    checks.push(atMost(`at 1,000 msgs/s p50 <= 1 ms (${relay})`, at1k.p50Ms, 1, ms));
    checks.push(atMost(`at 1,000 msgs/s p99 <= 5 ms (${relay})`, at1k.p99Ms, 5, ms));
  }
  return checks;
}

export function targetsTable(results: Results): Table {
  const mib = (bytes: number) => `${formatMiB(bytes)} MiB`;
  const limit = 200 * 1024 * 1024;
  const checks: Check[] = [];
  if (results.comparison) {
    checks.push(...throughputChecks(results.comparison), ...latencyChecks(results.comparison));
    const peaks = relayNames.map((name) => results.comparison!.endToEnd[name]?.median.peakRssBytes ?? Number.NaN).filter(Number.isFinite);
    if (peaks.length) checks.push(atMost('gateway RSS <= 200 MiB at saturation', Math.max(...peaks), limit, mib));
  }
  if (results.openStreams) {
    const { streams, median } = results.openStreams;
    checks.push(atMost(`gateway RSS <= 200 MiB with ${formatCount(streams)} open streams (idle)`, median.rssOpenBytes, limit, mib));
    checks.push(atMost(`gateway RSS <= 200 MiB with ${formatCount(streams)} open streams (under load)`, median.load.peakRssBytes, limit, mib));
  }
  if (results.backlog) {
    const { median, backlogMessages } = results.backlog;
    const share = (value: number) => formatRatio(value);
    checks.push(atLeast(`backlog of ${formatCount(backlogMessages)} costs <= 10%: end to end vs empty`, median.endToEndRatio, 0.9, share));
    checks.push(atLeast(`backlog of ${formatCount(backlogMessages)} costs <= 10%: draining vs empty end to end`, median.drainRatio, 0.9, share));
  }
  if (results.idempotency) {
    checks.push(atMost('<= 120 B of Redis memory per idempotency key', results.idempotency.median.bytesPerKey, 120, (value) => `${value.toFixed(0)} B`));
  }
  const relayFanOut = results.fanOut?.systems[relayNames[0]!];
  if (relayFanOut) {
    checks.push(atLeast('fan-out to 4 delivers >= 3 x the single-subscription rate', relayFanOut.median.deliveryGain, 3, formatRatio));
  }
  return {
    title: 'Targets of issue 3',
    columns: ['target', 'measured', 'result', 'gap'],
    rows: checks.map((check) => [check.target, check.measured, check.score >= 1 ? 'PASS' : 'MISS', check.gap]),
  };
}
