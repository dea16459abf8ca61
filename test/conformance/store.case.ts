import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { validateEvent } from '../../src/core/validate-event.js';
import { validationContext } from '../../src/ingest/ingest-batch.js';
import { overrideCostUsd } from '../../src/pricing/price-event.js';
import { verifyRollups } from '../../src/maintenance/verify.js';
import { repriceEvents } from '../../src/maintenance/reprice.js';
import { OVERRIDES_TTL_MS, Pricer } from '../../src/pricing/pricer.js';
import { items, NOW, wire } from '../support/events.js';
import type { BackendName } from '../support/databases.js';
import { openTestEngine } from '../support/databases.js';

/**
 * The store contract, written once and run against every backend (sqlite, pglite, postgres).
 * Each test gets a fresh database.
 */
export function describeStoreConformance(kind: BackendName): void {
  describe(`store conformance: ${kind}`, () => {
    let engine: Engine;
    beforeEach(async () => {
      engine = await openTestEngine(kind);
    });
    afterEach(async () => {
      await engine.close();
    });

    it('migrating again is a no-op', async () => {
      await engine.store.migrate();
      await engine.ingest(items(wire({ id: 'm1' })), NOW);
      await engine.store.migrate();
      expect(await engine.store.countEvents()).toBe(1);
    });

    it('stores an event and reads back exactly what validation produced', async () => {
      const input = wire({
        id: 'rt-1',
        type: 'message',
        workspace: 'ws-a',
        app: 'support-bot',
        domain: 'billing',
        platform: 'telegram',
        environment: 'production',
        user_id: 'u-1',
        session_id: 's-1',
        trace_id: 't-1',
        parent_id: 'p-1',
        agent: 'triage',
        tool: 'search_docs',
        client_name: 'claude-desktop',
        client_version: '0.9.2',
        status: 'error',
        error: { type: 'RateLimit', code: 429, message: 'slow down ✋' },
        usage: {
          input_tokens: 9_999_999_999,
          output_tokens: 3,
          cache_read_tokens: 1,
          cache_write_tokens: 2,
          reasoning_tokens: 1,
        },
        cost_usd: 0.000123,
        counters: { searches: 2, iterations: 3.5 },
        attributes: { nested: { deep: [1, 'two', null] } },
        message: {
          role: 'assistant',
          content: 'Grüße 👋 "quoted"',
          visibility: 'public',
          archived: false,
        },
        surprise: 'kept',
      });
      expect(await engine.ingest(items(input), NOW)).toEqual({
        accepted: 1,
        updated: 0,
        duplicates: 0,
        rejected: [],
      });
      const expected = validateEvent(input, validationContext(engine.config, NOW));
      expect(expected.ok).toBe(true);
      const stored = await engine.store.getEvent('ws-a', 'rt-1');
      expect(stored).toEqual(expected.ok ? expected.event : null);
      expect(stored?.attributes).toEqual({ surprise: 'kept', nested: { deep: [1, 'two', null] } });
      expect(stored?.cost_nanos).toBe(123_000);
    });

    it('stores text that array and JSON literals treat specially, in rows and rollup keys', async () => {
      // PostgreSQL receives a batch as column arrays: quoting in the array literal must keep
      // every value as sent, the string "NULL" included.
      const odd = ['NULL', 'a"b', 'back\\slash', '{x,y}', ' padded ', "it's", 'line\nbreak'];
      const events = odd.map((s, i) =>
        wire({ id: `${s}#${i}`, app: s, user_id: s, tool: s, attributes: { s } }),
      );
      expect((await engine.ingest(items(...events), NOW)).accepted).toBe(odd.length);
      for (const [i, s] of odd.entries()) {
        const stored = await engine.store.getEvent('default', `${s}#${i}`);
        expect(stored).toMatchObject({ app: s, user_id: s, tool: s, attributes: { s } });
      }
      const r = await engine.query(
        'summary',
        { from: String(NOW - 3_600_000), to: String(NOW), by: 'app' },
        NOW,
      );
      const keys = (r as { rows: Array<{ key: string | null }> }).rows.map((x) => x.key);
      expect(keys.sort()).toEqual([...odd].sort());
      expect(
        (await verifyRollups(engine.store, { from: NOW - 86_400_000, to: NOW })).differences,
      ).toEqual([]);
    });

    it('resending a batch stores nothing twice', async () => {
      const batch = items(wire({ id: 'a' }), wire({ id: 'b' }), wire({ id: 'c' }));
      expect(await engine.ingest(batch, NOW)).toMatchObject({ accepted: 3, duplicates: 0 });
      expect(await engine.ingest(batch, NOW)).toMatchObject({ accepted: 0, duplicates: 3 });
      expect(await engine.store.countEvents()).toBe(3);
    });

    it('deduplicates on workspace and id, not on id alone', async () => {
      const r = await engine.ingest(
        items(wire({ id: 'same', workspace: 'w1' }), wire({ id: 'same', workspace: 'w2' })),
        NOW,
      );
      expect(r.accepted).toBe(2);
      expect(await engine.store.countEvents('w1')).toBe(1);
      expect(await engine.store.countEvents('w2')).toBe(1);
      expect(await engine.store.listWorkspaces()).toEqual(['w1', 'w2']);
    });

    it('keeps one copy when overlapping batches race', async () => {
      const ids = Array.from({ length: 50 }, (_, i) => `race-${i}`);
      const batchA = items(...ids.slice(0, 35).map((id) => wire({ id })));
      const batchB = items(...ids.slice(15).map((id) => wire({ id })));
      // Batch B lists its ids in reverse, so the two would cross if locks followed input order.
      const [a, b] = await Promise.all([
        engine.ingest(batchA, NOW),
        engine.ingest(batchB.reverse(), NOW),
      ]);
      expect(a.accepted + b.accepted).toBe(50);
      expect(a.duplicates + b.duplicates).toBe(20);
      expect(await engine.store.countEvents()).toBe(50);
    });

    it('stores the good items of a batch beside bad ones', async () => {
      const r = await engine.ingest(
        items(
          wire({ id: 'ok-1' }),
          { id: 'bad', type: 'nope', timestamp: NOW },
          wire({ id: 'ok-2' }),
        ),
        NOW,
      );
      expect(r.accepted).toBe(2);
      expect(r.rejected).toEqual([
        expect.objectContaining({ index: 1, id: 'bad', code: 'unknown_event_type' }),
      ]);
      expect(
        (await engine.store.listEvents({ workspace: 'default' })).map((e) => e.id).sort(),
      ).toEqual(['ok-1', 'ok-2']);
    });

    it('splits a batch larger than one statement can carry', async () => {
      const many = Array.from({ length: 3_000 }, (_, i) =>
        wire({ id: `bulk-${i}`, timestamp: NOW - i }),
      );
      expect(await engine.ingest(items(...many), NOW)).toMatchObject({
        accepted: 3_000,
        duplicates: 0,
      });
      expect(await engine.store.countEvents()).toBe(3_000);
    });

    it('lists a time range in time order', async () => {
      const t = [30, 10, 20, 40].map((m) => NOW - m * 60_000);
      await engine.ingest(items(...t.map((ts, i) => wire({ id: `r${i}`, timestamp: ts }))), NOW);
      const listed = await engine.store.listEvents({
        workspace: 'default',
        from: NOW - 35 * 60_000,
        to: NOW - 10 * 60_000,
      });
      expect(listed.map((e) => e.timestamp)).toEqual([NOW - 30 * 60_000, NOW - 20 * 60_000]);
    });

    it('replaces U+0000 so every backend stores the same text', async () => {
      await engine.ingest(
        items(wire({ id: 'nul', app: 'a\u0000b', attributes: { 'k\u0000': 'v\u0000' } })),
        NOW,
      );
      const e = await engine.store.getEvent('default', 'nul');
      expect(e?.app).toBe('a\ufffdb');
      expect(e?.attributes).toEqual({ 'k\ufffd': 'v\ufffd' });
    });

    it('a higher revision replaces the event and its rollup contribution; lower ones change nothing', async () => {
      const hour = NOW - (NOW % 3_600_000) - 3_600_000;
      const base = { type: 'tool_call', tool: 'search', model: null, usage: null, user_id: 'u1' };
      await engine.ingest(
        items(
          wire({ ...base, id: 't1', timestamp: hour + 1_000, duration_ms: 10 }),
          wire({ ...base, id: 't2', timestamp: hour + 2_000, duration_ms: 20 }),
          wire({ ...base, id: 't3', timestamp: hour + 3_000, duration_ms: 30, user_id: 'u2' }),
        ),
        NOW,
      );
      // t3 was pending; its answer arrives late: it failed, faster than thought, and for u1.
      const answer = wire({
        ...base,
        id: 't3',
        timestamp: hour + 3_000,
        duration_ms: 5,
        status: 'timeout',
        revision: 2,
      });
      expect(await engine.ingest(items(answer), NOW)).toMatchObject({
        accepted: 0,
        updated: 1,
        duplicates: 0,
      });
      expect(
        await engine.ingest(items(answer, { ...answer, revision: 1, status: 'ok' }), NOW),
      ).toMatchObject({ updated: 0, duplicates: 2 });
      expect(await engine.store.getEvent('default', 't3')).toMatchObject({
        status: 'timeout',
        duration_ms: 5,
        revision: 2,
        user_id: 'u1',
      });
      const range = { from: String(hour), to: String(hour + 3_600_000) };
      const total = (await engine.query('summary', { ...range, by: 'tool' })) as {
        rows: Array<Record<string, unknown>>;
      };
      expect(total.rows).toEqual([
        expect.objectContaining({
          key: 'search',
          requests: 3,
          errors: 1,
          duration_ms: expect.objectContaining({
            avg: expect.closeTo((10 + 20 + 5) / 3, 6),
            max: 20,
          }),
        }),
      ]);
      const users = (await engine.query('summary', { ...range, by: 'user' })) as {
        rows: Array<{ key: string }>;
      };
      expect(users.rows.map((r) => r.key)).toEqual(['u1']);
      const check = await verifyRollups(engine.store, { from: hour, to: hour + 3_600_000 });
      expect(check.differences).toEqual([]);
    });

    it('an update can move an event to another bucket and dimension value', async () => {
      const t = NOW - 5 * 3_600_000;
      await engine.ingest(items(wire({ id: 'mv', timestamp: t, model: 'gpt-4o' })), NOW);
      await engine.ingest(
        items(wire({ id: 'mv', timestamp: t + 3_600_000, model: 'gpt-4o-mini', revision: 1 })),
        NOW,
      );
      const byModel = (await engine.query('summary', {
        from: String(t - 3_600_000),
        to: String(NOW),
        by: 'model',
      })) as { rows: Array<{ key: string; requests: number }> };
      expect(byModel.rows.map((r) => [r.key, r.requests])).toEqual([['gpt-4o-mini', 1]]);
      expect(
        (await verifyRollups(engine.store, { from: t - 86_400_000, to: NOW })).differences,
      ).toEqual([]);
    });

    it('reprice applies a new override to computed costs, rollups included, and leaves reported costs', async () => {
      const t = NOW - 2 * 3_600_000;
      const usage = { input_tokens: 1_000_000, output_tokens: 100_000 };
      await engine.ingest(
        items(
          wire({ id: 'c1', timestamp: t, usage }),
          wire({ id: 'c2', timestamp: t + 60_000, usage }),
          wire({ id: 'c3', timestamp: t + 120_000, usage, cost_usd: 9 }),
          wire({ id: 'c4', timestamp: t + 180_000, usage, model: 'house-model' }),
        ),
        NOW,
      );
      const before = (await engine.store.getEvent('default', 'c1'))!;
      expect(before.cost_source).toBe('price_table');
      expect((await engine.store.getEvent('default', 'c4'))!.cost_nanos).toBeNull();
      await engine.pricer.putOverride(
        {
          id: 'o',
          workspace: 'default',
          model: 'gpt-4o-mini',
          provider: null,
          input_per_mtok: 1,
          output_per_mtok: 10,
          cache_read_per_mtok: null,
          cache_write_per_mtok: null,
          effective_from: 0,
        },
        NOW,
      );
      await engine.pricer.putOverride(
        {
          id: 'h',
          workspace: 'default',
          model: 'house-model',
          provider: null,
          input_per_mtok: 2,
          output_per_mtok: 2,
          cache_read_per_mtok: null,
          cache_write_per_mtok: null,
          effective_from: 0,
        },
        NOW,
      );
      const r = await repriceEvents(engine.store, engine.pricer, { from: t - 1, to: NOW });
      expect(r).toMatchObject({ examined: 3, changed: 3 });
      // $1 input + $1 output per gpt-4o-mini call; $2 + $0.2 for the house model; $9 reported.
      const total = (await engine.query('summary', { from: String(t - 1), to: String(NOW) })) as {
        rows: Array<{ cost_usd: number }>;
      };
      expect(total.rows[0]!.cost_usd).toBeCloseTo(2 + 2 + 9 + 2.2, 9);
      expect(await engine.store.getEvent('default', 'c3')).toMatchObject({
        cost_nanos: 9e9,
        cost_source: 'reported',
      });
      expect(await engine.store.getEvent('default', 'c4')).toMatchObject({
        cost_nanos: 2.2e9,
        price_ref: 'override/h',
      });
      expect(
        (await verifyRollups(engine.store, { from: t - 86_400_000, to: NOW })).differences,
      ).toEqual([]);
      expect(
        await repriceEvents(engine.store, engine.pricer, { from: t - 1, to: NOW }),
      ).toMatchObject({ changed: 0 });
    });

    it('lone surrogates cannot make ids collide on one backend and not another', async () => {
      const r = await engine.ingest(
        items(wire({ id: 'x\ud800' }), wire({ id: 'x\udc00', attributes: { k: 'v\ud83d' } })),
        NOW,
      );
      // Both ids are x\ufffd after validation, so the second is a conflicting repeat on every backend.
      expect(r).toMatchObject({
        accepted: 1,
        rejected: [expect.objectContaining({ index: 1, code: 'duplicate_in_batch' })],
      });
      expect(await engine.store.getEvent('default', 'x\ufffd')).not.toBeNull();
      expect(
        (await verifyRollups(engine.store, { from: NOW - 86_400_000, to: NOW })).differences,
      ).toEqual([]);
    });

    it('a price override set elsewhere applies within the cache lifetime', async () => {
      let now = NOW;
      const pricer = new Pricer(engine.store, () => now);
      const usage = {
        input_tokens: 1_000_000,
        output_tokens: 0,
        cache_read_tokens: 0,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
      };
      const event =
        (await engine.ingest(items(wire({ id: 'ttl', usage })), NOW)) &&
        (await engine.store.getEvent('default', 'ttl'))!;
      expect((await pricer.applyAll([{ ...event, cost_nanos: null }]))[0]!.cost_source).toBe(
        'price_table',
      );
      // Another process (here: the engine's own pricer) sets an override.
      await engine.pricer.putOverride(
        {
          id: 'elsewhere',
          workspace: 'default',
          model: 'gpt-4o-mini',
          provider: null,
          input_per_mtok: 7,
          output_per_mtok: 7,
          cache_read_per_mtok: null,
          cache_write_per_mtok: null,
          effective_from: 0,
        },
        NOW,
      );
      expect((await pricer.applyAll([{ ...event, cost_nanos: null }]))[0]!.cost_source).toBe(
        'price_table',
      );
      now += OVERRIDES_TTL_MS;
      expect((await pricer.applyAll([{ ...event, cost_nanos: null }]))[0]).toMatchObject({
        cost_source: 'override',
        cost_nanos: 7e9,
      });
    });

    it('prices with a workspace override, leaving other workspaces on the table', async () => {
      const override = {
        id: 'o1',
        workspace: 'priced',
        model: 'GPT-4o-mini',
        provider: null,
        input_per_mtok: 1,
        output_per_mtok: 2,
        cache_read_per_mtok: 0.5,
        cache_write_per_mtok: null,
        effective_from: 0,
      };
      await engine.pricer.putOverride(override, NOW);
      const usage = {
        input_tokens: 1200,
        output_tokens: 300,
        cache_read_tokens: 200,
        cache_write_tokens: 0,
        reasoning_tokens: 0,
      };
      await engine.ingest(
        items(
          wire({ id: 'p1', workspace: 'priced', usage }),
          wire({ id: 'p2', workspace: 'other', usage }),
        ),
        NOW,
      );
      const priced = await engine.store.getEvent('priced', 'p1');
      const other = await engine.store.getEvent('other', 'p2');
      // (1000 × $1 + 200 × $0.5 + 300 × $2) per million tokens = $0.0017
      expect(priced).toMatchObject({
        cost_nanos: 1_700_000,
        cost_source: 'override',
        price_ref: 'override/o1',
      });
      expect(overrideCostUsd(usage, override)).toBeCloseTo(0.0017, 12);
      expect(other?.cost_source).toBe('price_table');
      expect(await engine.store.listPriceOverrides('priced')).toEqual([override]);
      expect(await engine.pricer.deleteOverride('priced', 'o1')).toBe(true);
      expect(await engine.store.listPriceOverrides('priced')).toEqual([]);
    });
  });
}
