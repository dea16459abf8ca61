import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createEngine } from '../src/engine.js';
import { startServer } from '../src/server/serve.js';
import type { LoadOptions, LoadResult } from './ingest-http-client.js';
import { peakRss, resetPeakRss } from './machine.js';
import { targetIf, type Metric } from './report.js';
import { percentiles } from './stats.js';
import { DAY_MS } from './workload.js';

export interface IngestHttpOptions {
  /** SQLite file or postgres:// URL of a fresh, empty database. */
  db: string;
  label: string;
  durationMs: number;
  concurrency: number;
  /** Events the client pre-generates; the run ends early if the server drains them all. */
  poolEvents: number;
  targets: boolean;
}

export interface IngestHttpResult {
  metrics: Metric[];
  notes: string[];
  /** The stream the client sent, so the bare-insert baseline can store the very same rows. */
  stream: { events: number; end: number };
}

/** Today 00:00 UTC: the generated stream ends here, so the server accepts every timestamp. */
export function streamEnd(): number {
  return Math.floor(Date.now() / DAY_MS) * DAY_MS;
}

/** {@link ingestHttp} in a fresh child process (see ingest-http-worker.ts). */
export function ingestHttpIsolated(o: IngestHttpOptions): Promise<IngestHttpResult> {
  const worker = fork(here('./ingest-http-worker.ts'), [JSON.stringify(o)], {
    execArgv: ['--import', 'tsx'],
  });
  return new Promise((resolve, reject) => {
    worker.on('message', (msg: IngestHttpResult | { error: string }) =>
      'error' in msg ? reject(new Error(msg.error)) : resolve(msg),
    );
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`ingest worker exited with code ${code}`));
    });
  });
}

function here(path: string): string {
  return fileURLToPath(new URL(path, import.meta.url));
}

/**
 * Ingest end to end over HTTP: `cairn serve` in this process (startServer on port 0), a child
 * process POSTing pre-serialised 500-event batches with `concurrency` requests in flight. Every
 * acknowledgement arrives after the batch (raw rows and rollups) committed.
 */
export async function ingestHttp(o: IngestHttpOptions): Promise<IngestHttpResult> {
  const engine = await createEngine({ db: o.db });
  const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  const end = streamEnd();
  try {
    const load: LoadOptions = { url: server.url, events: o.poolEvents, end, ...o };
    const run = await driveLoad(load);
    const stream = { events: run.result.batches * 500, end };
    return { metrics: metricsOf(o, run), notes: notesOf(o, run), stream };
  } finally {
    await server.close();
  }
}

interface LoadRun {
  result: LoadResult;
  prepMs: number;
  rssPeak: number;
  rssPeakSampled: number;
  serverCpuMs: number;
}

function driveLoad(load: LoadOptions): Promise<LoadRun> {
  const child = fork(
    fileURLToPath(new URL('./ingest-http-client.ts', import.meta.url)),
    [JSON.stringify(load)],
    { execArgv: ['--import', 'tsx'] },
  );
  return new Promise((resolve, reject) => {
    let prepMs = 0;
    let sampled = 0;
    let timer: NodeJS.Timeout | undefined;
    let cpu0 = process.cpuUsage();
    child.on('message', (msg: { ready?: boolean; prepMs?: number } | LoadResult) => {
      if ('ready' in msg) {
        prepMs = msg.prepMs ?? 0;
        resetPeakRss();
        cpu0 = process.cpuUsage();
        timer = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 100);
        child.send('go');
        return;
      }
      clearInterval(timer);
      const cpu = process.cpuUsage(cpu0);
      const serverCpuMs = (cpu.user + cpu.system) / 1000;
      const peak = peakRss() ?? sampled;
      resolve({
        result: msg as LoadResult,
        prepMs,
        rssPeak: peak,
        rssPeakSampled: sampled,
        serverCpuMs,
      });
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`load generator exited with code ${code}`));
    });
  });
}

function metricsOf(o: IngestHttpOptions, run: LoadRun): Metric[] {
  const r = run.result;
  const lat = percentiles(r.latenciesMs);
  const seconds = r.wallMs / 1000;
  const p = `ingest_http.${o.label}`;
  return [
    {
      name: `${p}.events_per_s`,
      value: r.events / seconds,
      unit: 'ev/s',
      ...targetIf(o.targets, '>=', 40_000),
      note: 'acknowledged events (W-agent redeliveries included) / wall time',
    },
    { name: `${p}.stored_events_per_s`, value: r.accepted / seconds, unit: 'ev/s' },
    { name: `${p}.sustained_s`, value: seconds, unit: 's', ...targetIf(o.targets, '>=', 60) },
    { name: `${p}.ack_latency_p50`, value: lat.p50, unit: 'ms' },
    { name: `${p}.ack_latency_p99`, value: lat.p99, unit: 'ms' },
    {
      name: `${p}.server_peak_rss`,
      value: run.rssPeak / 2 ** 20,
      unit: 'MB',
      ...targetIf(o.targets, '<=', 300),
      note: 'VmHWM of the server process, reset just before the load',
    },
  ];
}

function notesOf(o: IngestHttpOptions, run: LoadRun): string[] {
  const r = run.result;
  const notes = [
    `${o.label}: ${r.batches} batches of 500 (${r.events} events, ${r.accepted} stored, ${r.duplicates} duplicates, ${r.rejected} rejected, ${r.failedRequests} failed requests) over ${(r.wallMs / 1000).toFixed(1)} s with ${o.concurrency} POSTs in flight.`,
    `${o.label}: the server (startServer on port 0) ran in a process of its own and the load came from another, with every batch pre-generated and pre-serialised (${(run.prepMs / 1000).toFixed(1)} s before the clock started); the client used ${(r.clientCpuMs / r.wallMs).toFixed(2)} of a core during the load, the server process ${(run.serverCpuMs / r.wallMs).toFixed(2)}.`,
    `${o.label}: peak RSS ${(run.rssPeak / 2 ** 20).toFixed(0)} MB (kernel high-water mark), ${(run.rssPeakSampled / 2 ** 20).toFixed(0)} MB sampled every 100 ms.`,
  ];
  if (r.poolExhausted)
    notes.push(
      `${o.label}: the client ran out of pre-generated batches before ${o.durationMs / 1000} s — raise the pool.`,
    );
  return notes;
}
