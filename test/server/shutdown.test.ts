import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/serve.js';
import { openTestEngine } from '../support/databases.js';
import { wire } from '../support/events.js';

describe('graceful shutdown', () => {
  it('finishes the in-flight batch, refuses new connections, then closes the database', async () => {
    const engine = await openTestEngine('sqlite');
    let began!: () => void;
    const ingestBegan = new Promise<void>((resolve) => (began = resolve));
    let closed = false;
    const watched = {
      ...engine,
      ingest: (...args: Parameters<typeof engine.ingest>) => {
        began();
        return engine.ingest(...args);
      },
      close: async () => {
        closed = true;
        await engine.store.close();
      },
    };
    const server = await startServer(watched, { host: '127.0.0.1', port: 0 });
    const events = Array.from({ length: 5_000 }, (_, i) =>
      wire({ id: `s${i}`, timestamp: Date.now() - 1_000 }),
    );
    const inFlight = fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    await ingestBegan;
    const closing = server.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: 5_000 });
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });
});
