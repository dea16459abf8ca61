import { Command, InvalidArgumentError, Option } from 'commander';
import { generateKey, ROLES, type Role } from '../../auth/api-key.js';
import { CairnError } from '../../core/errors.js';
import type { Engine } from '../../engine.js';
import { DEFAULT_DB, dbOption, withEngine } from '../with-engine.js';

/** `cairn keys create | list | revoke`: API keys, each scoped to one workspace with one role. */
export function keysCommand(): Command {
  const keys = new Command('keys').description(
    'API keys: once one exists, every API request needs a key (docs/security.md)',
  );
  keys
    .command('create')
    .description('create a key and print it once (only its hash is stored)')
    .requiredOption('--workspace <name>', 'the one workspace the key may read and write')
    .addOption(
      new Option('--role <role>', 'ingest (send telemetry), read (query) or admin (all)')
        .choices(ROLES)
        .makeOptionMandatory(),
    )
    .option('--name <text>', 'what the key is for, shown by keys list')
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (o: { workspace: string; role: Role; name?: string; db: string }) => {
      await withEngine({ db: o.db }, (e) => createKey(e, o));
    });
  keys
    .command('list')
    .description('list keys (ids, never secrets)')
    .option('--workspace <name>', 'only keys of this workspace')
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (o: { workspace?: string; db: string }) => {
      await withEngine({ db: o.db }, (e) => listKeys(e, o.workspace));
    });
  keys
    .command('revoke')
    .description('revoke a key by id; servers stop accepting it within 5 seconds')
    .argument('<id>', 'key id, as keys list shows it (or the whole key)', keyId)
    .addOption(dbOption().default(DEFAULT_DB))
    .action(async (id: string, o: { db: string }) => {
      await withEngine({ db: o.db }, (e) => revokeKey(e, id));
    });
  return keys;
}

async function createKey(
  engine: Engine,
  o: { workspace: string; role: Role; name?: string },
): Promise<number> {
  const key = generateKey();
  await engine.store.keys.create({
    id: key.id,
    workspace: o.workspace,
    role: o.role,
    name: o.name ?? null,
    secret_hash: key.hash,
    created_at: Date.now(),
    revoked_at: null,
  });
  console.error(`created ${o.role} key ${key.id} for workspace ${o.workspace}; it is shown once:`);
  console.log(key.token);
  return 0;
}

async function listKeys(engine: Engine, workspace: string | undefined): Promise<number> {
  const keys = await engine.store.keys.list(workspace);
  if (keys.length === 0) console.log('no API keys: the API is open on loopback only');
  for (const k of keys) {
    const state = k.revoked_at === null ? 'active' : `revoked ${iso(k.revoked_at)}`;
    console.log(
      `${k.id}  ${k.workspace}  ${k.role}  created ${iso(k.created_at)}  ${state}${k.name ? `  ${k.name}` : ''}`,
    );
  }
  return 0;
}

async function revokeKey(engine: Engine, id: string): Promise<number> {
  if (!(await engine.store.keys.revoke(id, Date.now())))
    throw new CairnError('not_found', `no active API key with id ${id}`);
  console.log(`revoked key ${id}`);
  return 0;
}

/** Accepts a bare id or a whole key (whose id is its second part). */
function keyId(value: string): string {
  const m = /^(?:cairn_)?([0-9a-f]{16})(?:_.*)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('must be a key id (16 hex digits) or a whole key');
  return m[1]!;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
