import { fmtMs, fmtText, fmtUsd } from '../format.js';

/** One bar of a waterfall: a span placed by start and duration, indented by nesting depth. */
export interface Span {
  id: string;
  depth: number;
  label: string;
  kind: string;
  status: string;
  start: number;
  durationMs: number | null;
  costUsd: number | null;
  detail: string | null;
}

interface Tree {
  id: string;
  type: string;
  name: string | null;
  agent: string | null;
  model: string | null;
  tool: string | null;
  status: string;
  start: string;
  duration_ms: number | null;
  cost_usd: number | null;
  error: { message: string | null } | null;
  children: Tree[];
}

/**
 * What a bar is called: the tool a tool call ran and the model a call asked (an MCP method such
 * as tools/call, or an operation such as chat, tells one bar from another far less), else the
 * event's name.
 */
export function labelOf(n: Pick<Tree, 'type' | 'name' | 'agent' | 'model' | 'tool'>): string {
  if (n.type === 'tool_call' && n.tool) return n.tool;
  if (n.type === 'llm_call' && n.model) return n.name ? `${n.name} ${n.model}` : n.model;
  return n.name ?? n.tool ?? n.model ?? n.agent ?? n.type;
}

/** Flattens a trace tree depth first, so each step sits under the run or step that made it. */
export function spansOf(roots: readonly Tree[], depth = 0, out: Span[] = []): Span[] {
  for (const n of roots) {
    out.push({
      id: n.id,
      depth,
      label: labelOf(n),
      kind: n.type,
      status: n.status,
      start: Date.parse(n.start),
      durationMs: n.duration_ms,
      costUsd: n.cost_usd,
      detail: n.error?.message ?? null,
    });
    spansOf(n.children, depth + 1, out);
  }
  return out;
}

/** Spans on a shared time axis: where the time of a run went, and which step failed. */
export function Waterfall(props: { id: string; spans: readonly Span[] }) {
  const { spans } = props;
  if (spans.length === 0) return <p class="muted">No spans.</p>;
  const t0 = Math.min(...spans.map((s) => s.start));
  const t1 = Math.max(...spans.map((s) => s.start + (s.durationMs ?? 0)));
  const total = Math.max(1, t1 - t0);
  return (
    <div class="waterfall" data-waterfall={props.id}>
      <div class="wf-scale">
        <span>0</span>
        <span>{fmtMs(total)}</span>
      </div>
      {spans.map((s) => (
        <div key={s.id} class={`wf-row status-${s.status}`} data-span={s.id} data-depth={s.depth}>
          <div class="wf-label" style={{ paddingLeft: `${s.depth * 14}px` }} title={s.detail ?? ''}>
            <span class={`badge type-${s.kind}`}>{s.kind}</span> {s.label}
          </div>
          <div class="wf-track">
            <span
              class="wf-bar"
              style={{
                left: `${((s.start - t0) / total) * 100}%`,
                width: `max(2px, ${(((s.durationMs ?? 0) / total) * 100).toFixed(3)}%)`,
              }}
            />
          </div>
          <div class="wf-meta">
            {fmtMs(s.durationMs)} · {s.costUsd == null ? '—' : fmtUsd(s.costUsd)}
            {s.detail ? <span class="error-text"> · {fmtText(s.detail)}</span> : null}
          </div>
        </div>
      ))}
    </div>
  );
}
