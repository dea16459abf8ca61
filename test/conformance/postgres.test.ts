import { describe, it } from 'vitest';
import { postgresAvailable } from '../support/databases.js';
import { describeStoreConformance } from './store.case.js';

// Runs against the real server when it answers (or CAIRN_TEST_PG_URL is set); with
// CAIRN_REQUIRE_PG=1, postgresAvailable() throws instead of skipping.
if (await postgresAvailable()) {
  describeStoreConformance('postgres');
} else {
  describe.skip('store conformance: postgres (no server at 127.0.0.1:5432; set CAIRN_TEST_PG_URL)', () => {
    it('skipped', () => {});
  });
}
