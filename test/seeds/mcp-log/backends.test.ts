import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../../support/databases.js';
import { pairingCases } from './pairing.case.js';
import { specCases } from './spec.case.js';
import { viewCases } from './views.case.js';

/** Every mcp-log case on a SQLite file, in-memory PGlite and (when it answers) PostgreSQL. */
const backends: BackendName[] = ['sqlite', 'pglite'];
if (await postgresAvailable()) backends.push('postgres');

describe.each(backends)('mcp-log on %s', (backend) => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine(backend);
  });
  afterAll(() => engine.close());
  viewCases(() => engine);
  specCases(() => engine);
  pairingCases(() => engine);
});
