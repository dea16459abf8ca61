/**
 * The load generator of the HTTP ingest benchmark, run as a child process so that the server
 * (the parent) has a core of its own and its RSS holds no client data. It pre-generates and
 * pre-serialises every batch before the clock starts, then keeps `concurrency` POSTs in flight.
 * Protocol (IPC): child → {ready, prepMs}; parent → 'go'; child → the LoadResult.
 */
import { batches, wAgentEvents } from './workload.js';

export interface LoadOptions {
  url: string;
  events: number;
  end: number;
  concurrency: number;
  durationMs: number;
}

export interface LoadResult {
  batches: number;
  events: number;
  accepted: number;
  duplicates: number;
  rejected: number;
  failedRequests: number;
  wallMs: number;
  latenciesMs: number[];
  poolExhausted: boolean;
  clientCpuMs: number;
}

function prepare(o: LoadOptions): Buffer[] {
  const out: Buffer[] = [];
  for (const batch of batches(wAgentEvents(o.events, o.end)))
    out.push(Buffer.from(JSON.stringify({ events: batch })));
  return out;
}

async function post(url: string, body: Buffer): Promise<{ ok: boolean; json: unknown }> {
  const res = await fetch(`${url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { ok: res.ok, json: await res.json() };
}

async function load(o: LoadOptions, pool: Buffer[]): Promise<LoadResult> {
  const r: LoadResult = {
    batches: 0,
    events: 0,
    accepted: 0,
    duplicates: 0,
    rejected: 0,
    failedRequests: 0,
    wallMs: 0,
    latenciesMs: [],
    poolExhausted: false,
    clientCpuMs: 0,
  };
  let next = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (performance.now() - t0 < o.durationMs) {
      const body = pool[next++];
      if (!body) return void (r.poolExhausted = true);
      const s = performance.now();
      const { ok, json } = await post(o.url, body);
      r.latenciesMs.push(performance.now() - s);
      count(r, ok, json as BatchAnswer);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  r.wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  r.clientCpuMs = (cpu.user + cpu.system) / 1000;
  return r;
}

interface BatchAnswer {
  accepted: number;
  duplicates: number;
  updated: number;
  rejected: unknown[];
}

function count(r: LoadResult, ok: boolean, a: BatchAnswer): void {
  if (!ok) return void r.failedRequests++;
  r.batches++;
  r.accepted += a.accepted + a.updated;
  r.duplicates += a.duplicates;
  r.rejected += a.rejected.length;
  r.events += a.accepted + a.updated + a.duplicates + a.rejected.length;
}

async function main(): Promise<void> {
  const o = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const t0 = performance.now();
  const pool = prepare(o);
  process.send!({ ready: true, prepMs: performance.now() - t0, batches: pool.length });
  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  const result = await load(o, pool);
  process.send!(result, () => process.exit(0));
}

void main();
