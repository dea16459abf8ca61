import { DIMENSION_NAMES } from '../../src/rollups/definitions.js';
import { END, START } from './workload.js';

const H = 3_600_000;

/** Query parameters exercised by the parity tests: ragged ranges, filters, zones, every grain. */
export const QUERIES: Array<{ name: 'summary' | 'timeseries'; params: Record<string, string> }> = [
  ...[null, ...DIMENSION_NAMES].map((by) => ({
    name: 'summary' as const,
    params: {
      from: String(START + 37 * 60_000 + 123),
      to: String(END - 5 * H - 17_000),
      ...(by ? { by } : {}),
    },
  })),
  {
    name: 'summary',
    params: { from: String(START), to: String(END + H), by: 'model', type: 'llm_call' },
  },
  {
    name: 'summary',
    params: { from: String(START), to: String(END + H), by: 'tool', workspace: 'ws-01' },
  },
  {
    name: 'timeseries',
    params: {
      grain: 'minute',
      from: String(END - 3 * H - 90_000),
      to: String(END - H),
      by: 'type',
    },
  },
  {
    name: 'timeseries',
    params: { grain: 'minute', from: String(END - 2 * H), to: String(END - H), by: 'model' },
  },
  {
    name: 'timeseries',
    params: {
      grain: 'hour',
      tz: 'Asia/Kathmandu',
      from: String(START),
      to: String(END),
      by: 'agent',
    },
  },
  {
    name: 'timeseries',
    params: {
      grain: 'day',
      tz: 'Europe/Berlin',
      from: String(START),
      to: String(END),
      by: 'provider',
    },
  },
  {
    name: 'timeseries',
    params: { grain: 'week', from: String(START - 3 * 86_400_000), to: String(END) },
  },
];
