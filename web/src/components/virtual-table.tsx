import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell(row: T, index: number): ReactNode;
  /** A CSS width such as `12rem` or `30%`; the rest share what is left. */
  width?: string;
  className?: string;
}

export interface VirtualTableProps<T> {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey(row: T, index: number): string;
  /** Names the table for assistive technology. */
  label: string;
  /** Rows the server holds in all, when more than are loaded. */
  totalRows?: number;
  heightPx?: number;
  rowHeightPx?: number;
  /** Called when the reader scrolls near the last loaded row. */
  onNearEnd?: () => void;
  rowClassName?(row: T): string | undefined;
  empty?: ReactNode;
}

const OVERSCAN_ROWS = 8;

/**
 * A table that renders only the rows in view (plus a few), so 10,000 rows
 * cost what 30 do. Rows above and below the window are stood in for by two
 * spacer rows, which keeps real table semantics for screen readers;
 * `aria-rowcount`/`aria-rowindex` tell them how many rows there are.
 */
export function VirtualTable<T>(props: VirtualTableProps<T>) {
  const { rows, columns, heightPx = 560, rowHeightPx = 40 } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeightPx,
    overscan: OVERSCAN_ROWS,
    // Before layout (and without one, in tests) size the window from the props.
    initialRect: { width: 1000, height: heightPx },
  });
  const items = virtualizer.getVirtualItems();
  const last = items[items.length - 1];
  useNearEnd(last?.index ?? -1, rows.length, props.onNearEnd);

  if (rows.length === 0)
    return <div className="table-empty">{props.empty ?? 'Nothing to show.'}</div>;
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (last?.end ?? 0);
  return (
    <div
      ref={scrollRef}
      className="table-scroll"
      style={{ maxHeight: heightPx }}
      tabIndex={0}
      role="region"
      aria-label={`${props.label} (scrollable)`}
    >
      <table
        className="data-table"
        aria-label={props.label}
        aria-rowcount={(props.totalRows ?? rows.length) + 1}
      >
        <colgroup>
          {columns.map((c) => (
            <col key={c.key} style={c.width ? { width: c.width } : undefined} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            {columns.map((c) => (
              <th key={c.key} scope="col" className={c.className}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 ? <SpacerRow heightPx={top} span={columns.length} /> : null}
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <tr
                key={props.rowKey(row, item.index)}
                aria-rowindex={item.index + 2}
                className={props.rowClassName?.(row)}
                style={{ height: rowHeightPx }}
                data-row
              >
                {columns.map((c) => (
                  <td key={c.key} className={c.className}>
                    {c.cell(row, item.index)}
                  </td>
                ))}
              </tr>
            );
          })}
          {bottom > 0 ? <SpacerRow heightPx={bottom} span={columns.length} /> : null}
        </tbody>
      </table>
    </div>
  );
}

function SpacerRow({ heightPx, span }: { heightPx: number; span: number }) {
  return (
    <tr aria-hidden="true" className="spacer">
      <td colSpan={span} style={{ height: heightPx }} />
    </tr>
  );
}

function useNearEnd(lastIndex: number, count: number, onNearEnd?: () => void): void {
  const nearEnd = count > 0 && lastIndex >= count - OVERSCAN_ROWS * 2;
  useEffect(() => {
    if (nearEnd) onNearEnd?.();
  }, [nearEnd, count, onNearEnd]);
}
