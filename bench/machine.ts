import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

/** Where the figures came from: every comparison in a report is within one run on this machine. */
export interface MachineInfo {
  host: string;
  os: string;
  cpu: string;
  cores: number;
  memory_gb: number;
  node: string;
  sqlite: string;
  loadavg_start: number[];
  git_commit: string | null;
}

export function machineInfo(sqliteVersion: string): MachineInfo {
  const cpus = os.cpus();
  return {
    host: os.hostname(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memory_gb: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    node: process.version,
    sqlite: sqliteVersion,
    loadavg_start: loadavg(),
    git_commit: gitCommit(),
  };
}

/** The 1, 5 and 15 minute load averages, rounded: other jobs on the machine skew the figures. */
export function loadavg(): number[] {
  return os.loadavg().map((x) => Number(x.toFixed(2)));
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

/** The process's peak resident set size in bytes since the last {@link resetPeakRss}. */
export function peakRss(): number | null {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Resets the kernel's peak-RSS counter (Linux: writing 5 to clear_refs); false elsewhere. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
