// What the machine is, and who uses its CPU and memory while a benchmark runs (read from /proc), and
// the load generator's own garbage-collection pauses.
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';

/** A process whose CPU a run accounts for, by role ('gateway', 'redis-server', 'rabbitmq' ...). */
export interface ProcessRef {
  readonly role: string;
  readonly pid: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ; 100 on Linux x86_64). */
const ticksPerSecond = 100;

/** VmRSS of a process in bytes; NaN when it is gone. */
export function rssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** user + system CPU seconds a process has used so far (0 when it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine so far (all cores, idle and iowait excluded). */
function machineBusySeconds(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / ticksPerSecond;
}

/** Processes whose command name (/proc/PID/comm) is `comm`, e.g. 'beam.smp' or 'nats-server'. */
export function findProcesses(comm: string, role: string): ProcessRef[] {
  const found: ProcessRef[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === comm) found.push({ role, pid: Number(entry) });
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** CPU used per role during a run, in cores (1.0 = one core busy all the time). */
export type CpuShares = Record<string, number>;

/**
 * Measures who used the CPU between start() and stop(): the given processes by role, this process
 * (the load generator), and everything else on the machine as 'other'.
 */
export class CpuMeter {
  private startedAt = 0;
  private machineAtStart = 0;
  private readonly atStart = new Map<ProcessRef, number>();
  private selfAtStart = 0;

  constructor(private readonly processes: readonly ProcessRef[]) {}

  start(): void {
    this.startedAt = performance.now();
    this.machineAtStart = machineBusySeconds();
    this.selfAtStart = cpuSeconds(process.pid);
    for (const ref of this.processes) this.atStart.set(ref, cpuSeconds(ref.pid));
  }

  stop(): CpuShares {
    const wall = (performance.now() - this.startedAt) / 1000;
    const shares: CpuShares = { bench: (cpuSeconds(process.pid) - this.selfAtStart) / wall };
    let accounted = shares.bench!;
    for (const ref of this.processes) {
      const used = (cpuSeconds(ref.pid) - this.atStart.get(ref)!) / wall;
      shares[ref.role] = (shares[ref.role] ?? 0) + used;
      accounted += used;
    }
    shares.other = Math.max(0, (machineBusySeconds() - this.machineAtStart) / wall - accounted);
    return shares;
  }
}

/** "gateway 0.95, redis-server 0.41, bench 0.52, other 0.03" */
export function formatShares(shares: CpuShares): string {
  return Object.entries(shares)
    .map(([role, cores]) => `${role} ${cores.toFixed(2)}`)
    .join(', ');
}

export interface GcPauses {
  readonly count: number;
  readonly totalMs: number;
  readonly longestMs: number;
}

/**
 * This process's garbage-collection pauses between start and stop. Every delivery the load generator
 * would have seen during one arrives late by it, so a latency tail is read against them.
 */
export class GcPauseMeter {
  private readonly durations: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.durations.push(entry.duration);
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): GcPauses {
    // Entries still queued for the observer's callback.
    for (const entry of this.observer.takeRecords()) this.durations.push(entry.duration);
    this.observer.disconnect();
    return {
      count: this.durations.length,
      totalMs: this.durations.reduce((sum, duration) => sum + duration, 0),
      longestMs: this.durations.reduce((longest, duration) => Math.max(longest, duration), 0),
    };
  }
}

/** Samples a process's RSS until stopped; keeps the peak. */
export class RssSampler {
  peakBytes = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): number {
    const rss = rssBytes(this.pid);
    if (rss > this.peakBytes) this.peakBytes = rss;
    return rss;
  }

  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakBytes;
  }
}

export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

export function describeMachine(): MachineDescription {
  const cores = cpus();
  return {
    cpu: cores[0]?.model.trim() ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}
