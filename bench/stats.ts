// Small statistics and number formatting for the benchmark tables.

/** The median of the values (mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[middle]! : (finite[middle - 1]! + finite[middle]!) / 2;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
}

export function summarizeLatencies(samplesMs: readonly number[]): LatencySummary {
  const sorted = Float64Array.from(samplesMs).sort();
  const values = Array.from(sorted);
  return {
    count: values.length,
    p50Ms: quantile(values, 0.5),
    p99Ms: quantile(values, 0.99),
    p999Ms: quantile(values, 0.999),
    maxMs: values.length ? values[values.length - 1]! : Number.NaN,
  };
}

/** Medians field by field over runs of the same shape: numbers become their median, objects recurse, the rest comes from the first run. */
export function medianOf<T>(runs: readonly T[]): T {
  const first = runs[0];
  if (typeof first === 'number') return median(runs as readonly number[]) as T;
  if (first === null || typeof first !== 'object' || Array.isArray(first)) return first as T;
  const keys = new Set(runs.flatMap((run) => Object.keys(run as object)));
  const result: Record<string, unknown> = {};
  for (const key of keys) result[key] = medianOf(runs.map((run) => (run as Record<string, unknown>)[key]));
  return result as T;
}

/** 12345.6 -> "12,346"; NaN -> "–". */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return Math.round(value).toLocaleString('en-US');
}

/** Milliseconds with two significant decimals below 10 ms. */
export function formatMs(value: number): string {
  if (!Number.isFinite(value)) return '–';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toString();
}

export function formatRatio(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(2)}×` : '–';
}

export function formatMiB(bytes: number): string {
  return Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(1) : '–';
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${Math.round(value)}%` : '–';
}
