import { readFileSync } from 'node:fs';

/**
 * Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, as `getconf CLK_TCK` prints it).
 * NOTE: assumed to be 100, the value on the machine the results come from; other kernels may differ.
 */
const TICKS_PER_SECOND = 100;

/**
 * Reads the CPU time a process has used so far, user plus system, in milliseconds, from
 * `/proc/<pid>/stat` (fields 14 and 15). It counts every thread, sharp's worker threads included.
 * The resolution is one clock tick (10 ms).
 */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name in field 2 may hold spaces, so fields are counted after its closing bracket.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);
  return ((userTicks + systemTicks) * 1000) / TICKS_PER_SECOND;
}

/** Resident set size of a process now (`VmRSS`) and its peak so far (`VmHWM`), in MiB. */
export function processRss(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kib('VmRSS') / 1024, peakMb: kib('VmHWM') / 1024 };
}
