import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useView } from '../view.js';

export interface Column<R> {
  id: string;
  label: string;
  /** The value sorted on (and shown, through `text`, unless `render` is given). */
  value: (row: R) => number | string | null;
  text?: (row: R) => string;
  render?: (row: R) => ComponentChildren;
  numeric?: boolean;
}

const PAGE_SIZE = 20;

type Sort = { col: string; desc: boolean } | null;

function sorted<R>(rows: readonly R[], columns: readonly Column<R>[], sort: Sort): readonly R[] {
  const col = sort && columns.find((c) => c.id === sort.col);
  if (!sort || !col) return rows;
  const dir = sort.desc ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = col.value(a);
    const y = col.value(b);
    if (x === y) return 0;
    if (x === null) return 1; // missing values last, whichever the direction
    if (y === null) return -1;
    return (x < y ? -1 : 1) * dir;
  });
}

/**
 * A sortable, paginated table. Rows keep the server's order until a header is clicked
 * (numbers sort largest first on the first click). `rowHref` makes every row a drill-down.
 */
export function DataTable<R>(props: {
  id: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  rowHref?: (row: R) => string | null;
  empty?: string;
}) {
  const { navigate } = useView();
  const [sort, setSort] = useState<Sort>(null);
  const [page, setPage] = useState(0);
  const rows = sorted(props.rows, props.columns, sort);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const clickHeader = (c: Column<R>) =>
    setSort((s) => ({ col: c.id, desc: s?.col === c.id ? !s.desc : !!c.numeric }));
  if (props.rows.length === 0)
    return <p class="muted">{props.empty ?? 'Nothing in this range.'}</p>;
  return (
    <div class="table-wrap">
      <table data-table={props.id}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th
                key={c.id}
                class={c.numeric ? 'num' : undefined}
                aria-sort={sort?.col === c.id ? (sort.desc ? 'descending' : 'ascending') : 'none'}
                onClick={() => clickHeader(c)}
              >
                {c.label}
                {sort?.col === c.id ? (sort.desc ? ' ▾' : ' ▴') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.map((r, i) => {
            const href = props.rowHref?.(r) ?? null;
            return (
              <tr
                key={i}
                class={href ? 'drill' : undefined}
                data-href={href ?? undefined}
                onClick={href ? () => navigate(href) : undefined}
              >
                {props.columns.map((c) => (
                  <td key={c.id} class={c.numeric ? 'num' : undefined} data-col={c.id}>
                    {c.render ? c.render(r) : (c.text?.(r) ?? String(c.value(r) ?? '—'))}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {pages > 1 && (
        <div class="pager">
          <button disabled={current === 0} onClick={() => setPage(current - 1)}>
            ‹ Prev
          </button>
          <span>
            {current + 1} / {pages} ({rows.length} rows)
          </span>
          <button disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next ›
          </button>
        </div>
      )}
    </div>
  );
}
