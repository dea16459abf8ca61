import { useMemo } from 'preact/hooks';
import type { TraceResult } from '../api-types.js';
import { Panel, Tile } from '../components/panel.js';
import { spansOf, Waterfall } from '../components/waterfall.js';
import { fmtInt, fmtUsd } from '../format.js';
import { useApi } from '../use-api.js';
import { useView } from '../view.js';

/** How far around a run's start the trace's events are looked for (runs last minutes). */
const AROUND_MS = 6 * 3_600_000;

/**
 * One agent trace (`?ws=&id=` for a run, or `&trace_id=`): subtree totals and the nested
 * steps as a waterfall. `at` (the run's start) bounds the search so old traces are found
 * whatever range the view has.
 */
export function TracePage() {
  const { view } = useView();
  const q = view.q;
  const at = Number(q.at);
  const around = Number.isFinite(at) ? { from: at - AROUND_MS, to: at + AROUND_MS } : {};
  const params =
    q.ws === undefined || (q.id === undefined && q.trace_id === undefined)
      ? null
      : {
          ...around,
          workspace: q.ws,
          id: q.id,
          trace_id: q.id === undefined ? q.trace_id : undefined,
        };
  const trace = useApi('trace', params);
  if (params === null) return <p class="muted">Open a trace from the agents or errors page.</p>;
  return (
    <div class="grid">
      <Panel id="trace-totals" title={`Trace ${q.trace_id ?? q.id}`} loaded={trace} wide>
        {(d) => <TraceTiles data={d} />}
      </Panel>
      <Panel id="trace-waterfall" title="Runs, steps and calls" loaded={trace} wide>
        {(d) => <TraceWaterfall data={d} />}
      </Panel>
    </div>
  );
}

function TraceTiles(props: { data: TraceResult }) {
  const t = props.data.totals;
  return (
    <div class="tiles">
      <Tile id="events" label="Events" value={t.events} text={fmtInt(t.events)} />
      <Tile id="steps" label="Steps" value={t.steps} text={fmtInt(t.steps)} />
      <Tile id="llm_calls" label="LLM calls" value={t.llm_calls} text={fmtInt(t.llm_calls)} />
      <Tile id="tool_calls" label="Tool calls" value={t.tool_calls} text={fmtInt(t.tool_calls)} />
      <Tile id="errors" label="Errors" value={t.errors} text={fmtInt(t.errors)} />
      <Tile id="cost" label="Cost" value={t.cost_usd} text={fmtUsd(t.cost_usd)} />
    </div>
  );
}

function TraceWaterfall(props: { data: TraceResult }) {
  const spans = useMemo(() => spansOf(props.data.roots), [props.data]);
  return <Waterfall id="trace" spans={spans} />;
}
