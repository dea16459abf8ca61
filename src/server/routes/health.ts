import { Hono } from 'hono';
import type { Engine } from '../../engine.js';
import { diskStatus, type DiskStatus } from '../../maintenance/retention-disk.js';

/**
 * GET /healthz: 200 while the database answers, 503 when it does not or while draining. A `disk`
 * field appears when the disk needs attention (little free space, or full within days at the
 * recent growth); GET /healthz/disk always gives the numbers. Disk warnings never turn the
 * status to 503: the server still works, and a load balancer should not take it out of service.
 */
export function healthRoutes(engine: Engine, isDraining: () => boolean): Hono {
  const app = new Hono();
  app.get('/', async (c) => {
    if (isDraining()) return c.json({ status: 'draining' }, 503);
    try {
      await engine.store.ping();
    } catch (err) {
      return c.json({ status: 'unavailable', message: (err as Error).message }, 503);
    }
    const disk = await diskOrNull(engine);
    const body = { status: 'ok', backend: engine.store.kind };
    return c.json(disk?.status === 'warn' ? { ...body, disk: diskBody(disk) } : body);
  });
  app.get('/disk', async (c) => {
    const disk = await diskOrNull(engine);
    return disk ? c.json(diskBody(disk)) : c.json({ status: 'unknown' });
  });
  return app;
}

/** Health must answer even when measuring the disk fails. */
async function diskOrNull(engine: Engine): Promise<DiskStatus | null> {
  try {
    return await diskStatus(engine, Date.now());
  } catch {
    return null;
  }
}

function diskBody(d: DiskStatus) {
  return {
    status: d.status,
    free_bytes: d.freeBytes,
    total_bytes: d.totalBytes,
    database_bytes: d.databaseBytes,
    daily_growth_bytes: d.dailyGrowthBytes,
    days_left: d.daysLeft === null ? null : Math.round(d.daysLeft * 10) / 10,
    warnings: d.warnings,
  };
}
