import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as prettier from 'prettier';
import type { MachineInfo } from './machine.js';
import { round } from './stats.js';

/** A target: the value must be at least (`>=`) or at most (`<=`) the bound. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

export interface Metric {
  /** Stable dotted name, e.g. `ingest_http.sqlite.events_per_s`. */
  name: string;
  value: number | null;
  unit: string;
  target?: Target;
  /** What exactly was measured, when the name does not say it all. */
  note?: string;
}

/** What one benchmark returns: its figures, notes on method, and the load around it. */
export interface Section {
  name: string;
  metrics: Metric[];
  notes: string[];
  seconds: number;
  loadavg_after: number[];
}

export interface RunReport {
  started_at: string;
  mode: 'quick' | 'full';
  argv: string[];
  machine: MachineInfo;
  sections: Section[];
  /** Benchmarks that failed, with their error; the others still report. */
  failures: { name: string; error: string }[];
}

/** `{ target }` when targets apply to this run (full-size runs), else nothing. */
export function targetIf(on: boolean, op: Target['op'], value: number): { target?: Target } {
  return on ? { target: { op, value } } : {};
}

/** met?: yes / no / n/a (no target, or nothing measured). */
export function met(m: Metric): 'yes' | 'no' | 'n/a' {
  if (!m.target || m.value === null || !Number.isFinite(m.value)) return 'n/a';
  const ok = m.target.op === '>=' ? m.value >= m.target.value : m.value <= m.target.value;
  return ok ? 'yes' : 'no';
}

/**
 * Writes `<dir>/<stamp>.json` (formatted by Prettier, so `npm run format:check` passes even where
 * the folder is not ignored) and `<dir>/<stamp>.md`; returns their paths.
 */
export async function writeReport(
  dir: string,
  report: RunReport,
): Promise<{ json: string; md: string }> {
  mkdirSync(dir, { recursive: true });
  const stamp = report.started_at.replace(/[:.]/g, '-');
  const json = join(dir, `${stamp}.json`);
  const md = join(dir, `${stamp}.md`);
  writeFileSync(json, await prettier.format(JSON.stringify(report), { parser: 'json' }));
  writeFileSync(md, renderMarkdown(report));
  return { json, md };
}

export function renderMarkdown(r: RunReport): string {
  const m = r.machine;
  const lines = [
    `# Cairn benchmark — ${r.started_at} (${r.mode})`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memory_gb} GB, ${m.os}; Node ${m.node}, ` +
      `SQLite ${m.sqlite}; commit ${m.git_commit ?? 'unknown'}. ` +
      `Load average at start: ${m.loadavg_start.join(' / ')}.`,
    '',
    `Command: \`${['npm run bench --', ...r.argv].join(' ')}\``,
    '',
    ...missedList(r),
    '| metric | value | target | met? |',
    '| --- | --- | --- | --- |',
    ...r.sections.flatMap((s) => s.metrics.map(row)),
    '',
    ...r.sections.flatMap(sectionNotes),
    ...r.failures.map((f) => `**${f.name} failed:** ${f.error}\n`),
  ];
  return `${lines.join('\n')}\n`;
}

function missedList(r: RunReport): string[] {
  const all = r.sections.flatMap((s) => s.metrics);
  const missed = all.filter((x) => met(x) === 'no');
  const head = `**Targets met: ${all.filter((x) => met(x) === 'yes').length}; missed: ${missed.length}.**`;
  return [
    head,
    '',
    ...missed.map((x) => `- MISSED ${x.name}: ${fmt(x)} (target ${fmtTarget(x)})`),
    '',
  ];
}

function row(x: Metric): string {
  const name = x.note ? `${x.name} <br><sub>${x.note}</sub>` : x.name;
  return `| ${name} | ${fmt(x)} | ${x.target ? fmtTarget(x) : ''} | ${met(x)} |`;
}

function fmt(x: Metric): string {
  if (x.value === null || !Number.isFinite(x.value)) return '—';
  return `${round(x.value).toLocaleString('en-US')} ${x.unit}`.trim();
}

function fmtTarget(x: Metric): string {
  return x.target
    ? `${x.target.op} ${x.target.value.toLocaleString('en-US')} ${x.unit}`.trim()
    : '';
}

function sectionNotes(s: Section): string[] {
  return [
    `### ${s.name} (${s.seconds.toFixed(0)} s; load average after: ${s.loadavg_after.join(' / ')})`,
    '',
    ...s.notes.map((n) => `- ${n}`),
    '',
  ];
}
