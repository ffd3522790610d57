// Conversions between what people type or read and what the API carries: durations with units,
// protobuf Duration/Timestamp, aligned tables.
import { UsageError } from './usage-error.ts';

const unitMs: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `500ms`, `30s`, `10m`, `2h`, `7d`, `1h30m`, `1.5s` as milliseconds; a bare number is refused (which unit?). */
export function parseDuration(text: string, what: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join('') !== text) {
    throw new UsageError(`${what} must be a duration with units such as 500ms, 30s, 10m, 2h, 7d; got ${JSON.stringify(text)}`);
  }
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * unitMs[unit!]!, 0));
}

/** Milliseconds as the shortest exact text: 30s, 2m, 7d, 1m30s, 1.5s, 250ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let left = ms;
  let text = '';
  for (const unit of ['d', 'h', 'm'] as const) {
    const amount = Math.floor(left / unitMs[unit]!);
    if (amount > 0) text += `${amount}${unit}`;
    left -= amount * unitMs[unit]!;
  }
  if (left > 0) text += `${left / 1000}s`;
  return text;
}

/** The fields of google.protobuf.Duration and Timestamp as the loader hands them over (int64 as string). */
export interface SecondsNanos {
  readonly seconds: string | number;
  readonly nanos: number;
}

export function toDuration(ms: number): { seconds: number; nanos: number } {
  return { seconds: Math.floor(ms / 1000), nanos: Math.round(ms % 1000) * 1_000_000 };
}

/** A Duration or Timestamp as milliseconds (0 when unset). */
export function millis(value: SecondsNanos | null | undefined): number {
  return value ? Number(value.seconds) * 1000 + Math.floor(value.nanos / 1_000_000) : 0;
}

/** A Timestamp as ISO 8601 text; null when unset. */
export function isoTime(value: SecondsNanos | null | undefined): string | null {
  return value && (Number(value.seconds) !== 0 || value.nanos !== 0) ? new Date(millis(value)).toISOString() : null;
}

/** A time given on the command line: ISO 8601, `now`, or a duration meaning that long ago (`10m`). */
export function parseTime(text: string, what: string, nowMs = Date.now()): number {
  if (text === 'now') return nowMs;
  if (/^\d+(?:\.\d+)?(?:ms|s|m|h|d)/.test(text)) return nowMs - parseDuration(text, what);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new UsageError(`${what} must be an ISO 8601 time, now, or a duration ago such as 10m; got ${JSON.stringify(text)}`);
  return ms;
}

/** Rows under headers, columns padded to their widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** `label  value` lines with the labels aligned; null values are left out. */
export function fields(entries: readonly (readonly [string, string | null])[]): string {
  const shown = entries.filter((entry): entry is [string, string] => entry[1] !== null);
  const width = Math.max(...shown.map(([label]) => label.length));
  return shown.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';
}
