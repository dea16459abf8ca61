import type { Hono } from 'hono';
import type { Engine } from '../../../src/engine.js';
import type { BackendName } from '../../support/databases.js';
import type { TestRow } from './dataset.js';

/** What the case files share: one engine per backend, filled once, read by every case. */
export interface SuiteContext {
  kind: BackendName;
  engine: Engine;
  app: Hono;
  /** Every row stored so far; a case that adds rows appends them here. */
  rows: TestRow[];
}
