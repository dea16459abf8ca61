import { fmtInt, fmtPct } from '../format.js';
import type { RetentionResult } from '../api-types.js';

/**
 * The retention cohort heat-map: one row per cohort, one cell per later period, shaded by the
 * share of the cohort that came back. A table, so it stays readable and copyable.
 */
export function RetentionHeatmap(props: { data: RetentionResult }) {
  const { cohorts, period } = props.data;
  const width = Math.max(0, ...cohorts.map((c) => c.rates.length));
  if (cohorts.length === 0) return <p class="muted">No users in this range.</p>;
  return (
    <div class="table-wrap">
      <table class="heatmap" data-heatmap="retention">
        <thead>
          <tr>
            <th>Cohort ({period})</th>
            <th class="num">Users</th>
            {Array.from({ length: width }, (_, k) => (
              <th key={k} class="num">
                +{k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {cohorts.map((c) => (
            <tr key={c.cohort} data-cohort={c.cohort}>
              <td>{c.cohort}</td>
              <td class="num">{fmtInt(c.users)}</td>
              {Array.from({ length: width }, (_, k) => {
                const r = c.rates[k];
                return r == null ? (
                  <td key={k} />
                ) : (
                  <td
                    key={k}
                    class={`num cell${r > 0.55 ? ' hot' : ''}`}
                    title={`${fmtInt(c.retained[k])} of ${fmtInt(c.users)}`}
                    style={{ '--heat': r.toFixed(3) }}
                  >
                    {fmtPct(r)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
