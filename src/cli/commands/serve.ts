import type { Engine } from '../../engine.js';
import { startServer } from '../../server/serve.js';
import { redactUrl } from '../../store/open-backend.js';
import { formatSummary } from '../ingest-summary.js';
import { Progress } from '../progress.js';
import { seedDemo } from '../seed-demo.js';

export interface ServeOptions {
  demo: boolean;
}

/** `cairn serve`: listens until SIGINT or SIGTERM, then drains and closes. */
export async function runServe(engine: Engine, options: ServeOptions): Promise<number> {
  if (options.demo) {
    const seeded = await seedDemo(engine, Date.now(), new Progress('loading demo data', null));
    if (seeded) console.log(`demo data: ${formatSummary(seeded)}`);
  }
  const { host, port } = engine.config.server;
  const server = await startServer(engine, { host, port });
  // Handlers first: a SIGTERM right after the "listening" line must still drain, not kill.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`${signal}: finishing in-flight requests, then closing`);
      server.close().then(resolve, (err: unknown) => {
        console.error('cairn: shutdown failed', err);
        resolve();
      });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  if (server.otlpGrpcPort !== null) console.log(`OTLP/gRPC on ${host}:${server.otlpGrpcPort}`);
  console.log(
    `Cairn is listening on ${server.url} (${engine.store.kind}: ${redactUrl(engine.config.db)})`,
  );
  await stopped;
  return 0;
}
