import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startAlertScheduler } from '../alerts/scheduler.js';
import { CairnError } from '../core/errors.js';
import type { Engine } from '../engine.js';
import { startRetentionScheduler } from '../maintenance/retention-scheduler.js';
import { startOtlpGrpc, type OtlpGrpcServer } from '../ingest/otlp/grpc-server.js';
import { createApp } from './app.js';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** The OTLP/gRPC listener's port, or null when config.server.otlpGrpcPort is null (off). */
  readonly otlpGrpcPort: number | null;
  /**
   * Graceful shutdown: close the OTLP/gRPC listener (its running calls finish), stop accepting
   * connections, refuse new requests on open ones, wait for in-flight requests (each batch
   * commits before it is answered), then close the engine.
   */
  close(): Promise<void>;
}

export interface ListenOptions {
  host: string;
  port: number;
}

/** Starts listening (and the OTLP/gRPC listener when configured); resolves once bound. */
export async function startServer(engine: Engine, options: ListenOptions): Promise<RunningServer> {
  await refuseOpenExposure(engine, options.host);
  let draining = false;
  const inFlight = new InFlight();
  const app = createApp(engine, {
    isDraining: () => draining,
    requireKeys: !isLoopback(options.host),
  });
  const grpc = await startGrpc(engine, options.host);
  const server = await listen((req) => inFlight.track(() => app.fetch(req)), options).catch(
    async (err: unknown) => {
      await grpc?.close();
      throw err;
    },
  );
  const port = (server.address() as AddressInfo).port;
  const alerts = engine.config.alerts.enabled ? startAlertScheduler(engine) : null;
  const { enabled, ...schedule } = engine.config.retention;
  const retention = enabled ? startRetentionScheduler(engine, schedule) : null;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${port}`,
    port,
    otlpGrpcPort: grpc?.port ?? null,
    close() {
      closing ??= (async () => {
        // gRPC first: its calls ingest through the engine, which closes last.
        await grpc?.close();
        await alerts?.stop();
        await retention?.stop();
        draining = true;
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        (server as Server).closeIdleConnections();
        await inFlight.drained();
        await untilClosed(server as Server, closed);
        await engine.close();
      })();
      return closing;
    },
  };
}

/**
 * With no API key, the API is open to whoever can reach it; that is the embedded default on
 * loopback, and refused on any other address.
 */
async function refuseOpenExposure(engine: Engine, host: string): Promise<void> {
  if (isLoopback(host) || (await engine.store.keys.count({ activeOnly: true })) > 0) return;
  throw new CairnError(
    'invalid_parameter',
    `refusing to listen on ${host} with no API keys: anyone who can reach it could read and write every workspace. Create a key first, e.g. \`cairn keys create --workspace default --role admin\`, or bind 127.0.0.1`,
  );
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function startGrpc(engine: Engine, host: string): Promise<OtlpGrpcServer | null> {
  const port = engine.config.server.otlpGrpcPort;
  return port === null
    ? Promise.resolve(null)
    : startOtlpGrpc(engine, { host, port, requireKeys: !isLoopback(host) });
}

function listen(fetch: (req: Request) => Promise<Response>, o: ListenOptions): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: o.host, port: o.port }, () => resolve(server));
    server.once('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'EADDRINUSE' ? `port ${o.port} is already in use; pass --port` : err.message;
      reject(new Error(`cannot listen on ${o.host}:${o.port}: ${reason}`, { cause: err }));
    });
  });
}

/**
 * Responses are still being flushed when their handlers return, so connections are closed as
 * they turn idle; any still open after the grace period are cut.
 */
async function untilClosed(server: Server, closed: Promise<void>, graceMs = 5_000): Promise<void> {
  const sweep = setInterval(() => server.closeIdleConnections(), 25);
  const cut = setTimeout(() => server.closeAllConnections(), graceMs);
  server.closeIdleConnections();
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(cut);
  }
}

/** Counts requests being handled so shutdown can wait for them. */
class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  async track<T>(fn: () => Promise<T> | T): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      this.count--;
      if (this.count === 0) for (const w of this.waiters.splice(0)) w();
    }
  }

  drained(): Promise<void> {
    return this.count === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.waiters.push(resolve));
  }
}
