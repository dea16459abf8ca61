/**
 * Runs one HTTP ingest benchmark in a process of its own, so that the server's peak RSS is its
 * own and not whatever earlier benchmarks left in the parent's heap. Argument: the options as
 * JSON; answer (IPC): the IngestHttpResult, or `{ error }`.
 */
import { ingestHttp, type IngestHttpOptions } from './ingest-http.js';

const options = JSON.parse(process.argv[2] ?? '{}') as IngestHttpOptions;
try {
  const result = await ingestHttp(options);
  process.send!(result, () => process.exit(0));
} catch (err) {
  process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () =>
    process.exit(1),
  );
}
