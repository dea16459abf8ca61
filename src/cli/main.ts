import { Command, InvalidArgumentError, Option } from 'commander';
import { CairnError } from '../core/errors.js';
import { eventJsonSchema } from '../core/json-schema.js';
import { alertsCommand } from './commands/alerts.js';
import { runGenerate } from './commands/generate.js';
import { runImport } from './commands/import.js';
import { retentionCommand } from './commands/retention.js';
import { runIngest } from './commands/ingest.js';
import { keysCommand } from './commands/keys.js';
import { runPriceDelete, runPriceList, runPriceSet } from './commands/prices.js';
import { runServe } from './commands/serve.js';
import { runRebuild, runReprice, runVerify } from './commands/maintenance.js';
import { parseQueryParams, runQuery } from './commands/query.js';
import type { OutputFormat } from './format-rows.js';
import { DEFAULT_DB, dbOption, withEngine } from './with-engine.js';

function int(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
}

function num(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number');
  return n;
}

function time(value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('must be ISO-8601 or epoch milliseconds');
  return ms;
}

export function buildProgram(): Command {
  const program = new Command('cairn')
    .description('Telemetry analytics for AI chat bots, agents and MCP tool servers.')
    .version('0.1.0')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the HTTP server (ingest API) until SIGTERM or Ctrl-C')
    .addOption(dbOption())
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option(
      '--port <port>',
      'port to listen on (0 picks a free one)',
      int('--port', 0, 65_535),
      4680,
    )
    .option(
      '--otlp-grpc-port <port>',
      'also serve OTLP/gRPC trace export on this port (0 picks a free one; default: off)',
      int('--otlp-grpc-port', 0, 65_535),
    )
    .option(
      '--demo',
      'load a week of generated W-agent traffic into an empty database (default db ./cairn-demo.db)',
    )
    .option('--no-alerts', 'do not evaluate alert rules here (another server on this db does)')
    .option('--no-retention', 'do not apply retention policies here (another server or cron does)')
    .option(
      '--mcp-timeout <ms>',
      'an MCP request unanswered this long is a timeout (mcp-log import; default 300000)',
      int('--mcp-timeout', 1, 86_400_000),
    )
    .action(
      async (o: {
        db?: string;
        host: string;
        port: number;
        otlpGrpcPort?: number;
        demo?: boolean;
        alerts: boolean;
        retention: boolean;
        mcpTimeout?: number;
      }) => {
        const db = o.db ?? (o.demo ? './cairn-demo.db' : DEFAULT_DB);
        const server = { host: o.host, port: o.port, otlpGrpcPort: o.otlpGrpcPort ?? null };
        const config = {
          db,
          server,
          alerts: { enabled: o.alerts },
          retention: { enabled: o.retention },
          ...(o.mcpTimeout ? { seeds: { mcpLog: { timeoutMs: o.mcpTimeout } } } : {}),
        };
        await withEngine(config, (e) => runServe(e, { demo: Boolean(o.demo) }));
      },
    );

  program
    .command('ingest')
    .description(
      'ingest events from a JSON or NDJSON file ("-" for stdin), exactly as POST /v1/events would',
    )
    .argument('<file>', 'path, or - for stdin')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'workspace for events that name none', 'default')
    .action(async (file: string, o: { db: string; workspace: string }) => {
      await withEngine({ db: o.db, ingest: { defaultWorkspace: o.workspace } }, (e) =>
        runIngest(e, file),
      );
    });

  program
    .command('import')
    .description(
      'import a seed system\'s rows: NDJSON of {"table": …, …columns} ("-" for stdin), or the seed\'s SQLite file (observability, mcp-log)',
    )
    .argument('<format>', 'observability | mcp-log | chat-telemetry | agent-platform')
    .argument('<file>', 'path, or - for stdin')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'workspace for rows that name none', 'default')
    .action(async (format: string, file: string, o: { db: string; workspace: string }) => {
      await withEngine({ db: o.db, ingest: { defaultWorkspace: o.workspace } }, (e) =>
        runImport(e, format, file, { workspace: o.workspace }),
      );
    });

  program.addCommand(keysCommand());
  program.addCommand(alertsCommand());
  program.addCommand(retentionCommand());

  program
    .command('generate')
    .description('write W-agent workload events as NDJSON')
    .option('--seed <seed>', 'random seed', '42')
    .option('--days <n>', 'days of traffic', int('--days', 1, 3650), 1)
    .option(
      '--sessions-per-day <n>',
      'sessions a day',
      int('--sessions-per-day', 1, 10_000_000),
      5_000,
    )
    .option('--end <time>', 'end of the generated range (ISO-8601 or epoch ms)', time, Date.now())
    .option('--out <file>', 'output file, or - for stdout', '-')
    .action(
      async (o: {
        seed: string;
        days: number;
        sessionsPerDay: number;
        end: number;
        out: string;
      }) => {
        process.exitCode = await runGenerate(o);
      },
    );

  program
    .command('schema')
    .description('print the JSON Schema of one event')
    .action(() => {
      console.log(JSON.stringify(eventJsonSchema(), null, 2));
    });

  program
    .command('migrate')
    .description('create or upgrade the database schema (also done at every start)')
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (o: { db: string }) => {
      await withEngine({ db: o.db }, async (e) => {
        console.log(`database is up to date (${e.store.kind})`);
        return 0;
      });
    });

  program
    .command('query')
    .description('run a named query (summary, timeseries) — the same as GET /v1/NAME')
    .argument('<name>', 'query name')
    .argument('[params...]', 'parameters as --name value, e.g. --by model --from 2026-11-01')
    .addOption(dbOption().default(DEFAULT_DB))
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'csv'])
        .default('table'),
    )
    .allowUnknownOption()
    .helpOption(false)
    .action(async (name: string, params: string[], o: { db: string; format: OutputFormat }) => {
      await withEngine({ db: o.db }, (e) => runQuery(e, name, parseQueryParams(params), o.format));
    });

  for (const [name, description, run] of [
    [
      'verify',
      'recompute the rollups of a range from raw events and print every difference',
      runVerify,
    ],
    ['rebuild', 'regenerate the rollups of a range from raw events', runRebuild],
    [
      'reprice',
      "recompute the costs Cairn computed (not reported ones) with today's prices and overrides, rollups included",
      runReprice,
    ],
  ] as const) {
    program
      .command(name)
      .description(description)
      .addOption(dbOption().default(DEFAULT_DB))
      .option('--from <time>', 'start (ISO-8601 or epoch ms; default: the first event)', time)
      .option('--to <time>', 'end (default: after the last event)', time)
      .option('--workspace <name>', 'only this workspace')
      .action(async (o: { db: string; from?: number; to?: number; workspace?: string }) => {
        await withEngine({ db: o.db }, async (e) => {
          // Defaults cover every stored event, including those stamped up to a day ahead.
          const stored = await e.store.eventTimeRange(o.workspace);
          const from = o.from ?? stored.first ?? Date.now();
          const to = o.to ?? Math.max(Date.now(), (stored.last ?? 0) + 1);
          return run(e, { from, to, ...(o.workspace ? { workspace: o.workspace } : {}) });
        });
      });
  }

  const prices = program.command('prices').description("manage a workspace's price overrides");
  prices
    .command('set')
    .description('override the bundled price of a model (USD per million tokens)')
    .addOption(dbOption().default(DEFAULT_DB))
    .requiredOption('--model <model>', 'model id, matched case-insensitively')
    .requiredOption('--input <usd>', 'input price per million tokens', num)
    .requiredOption('--output <usd>', 'output price per million tokens', num)
    .option('--cache-read <usd>', 'cache-read price per million tokens (default: input)', num)
    .option('--cache-write <usd>', 'cache-write price per million tokens (default: input)', num)
    .option('--provider <provider>', 'only for this provider')
    .option('--from <time>', 'applies to events from this time (ISO-8601 or epoch ms)', time)
    .option('--workspace <name>', 'workspace', 'default')
    .action(async (o: { db: string } & Parameters<typeof runPriceSet>[1]) => {
      await withEngine({ db: o.db }, (e) => runPriceSet(e, o));
    });
  prices
    .command('list')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'workspace', 'default')
    .action(async (o: { db: string; workspace: string }) => {
      await withEngine({ db: o.db }, (e) => runPriceList(e, o.workspace));
    });
  prices
    .command('delete')
    .argument('<id>', 'override id')
    .addOption(dbOption().default(DEFAULT_DB))
    .option('--workspace <name>', 'workspace', 'default')
    .action(async (id: string, o: { db: string; workspace: string }) => {
      await withEngine({ db: o.db }, (e) => runPriceDelete(e, o.workspace, id));
    });

  return program;
}

/** Entry point: errors become one readable line and a non-zero exit code. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    const message =
      err instanceof CairnError ? `${err.code}: ${err.message}` : (err as Error).message;
    console.error(`cairn: ${message}`);
    process.exitCode = 2;
  }
}
