import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/context';

interface DataTableProps {
  /** Column headers, in order. */
  columns: string[];
  /** Adds a last column for row buttons, its header ("Actions") for screen readers only. */
  actions?: boolean;
  /** A caption for screen readers only. */
  caption?: string;
  class?: string;
  /** The rows (<tr> elements). */
  children: ComponentChildren;
}

/** A table that scrolls sideways on narrow screens, with one header row. */
export function DataTable({ columns, actions = false, caption, class: className, children }: DataTableProps) {
  const { m } = useI18n();
  return (
    // A table wider than the screen scrolls: keyboard users reach it with Tab
    // and scroll it with the arrow keys (axe: scrollable-region-focusable).
    <div class="table-wrap" tabIndex={0} role={caption ? 'region' : undefined} aria-label={caption}>
      <table class={className}>
        {caption && <caption class="sr-only">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c) => <th key={c} scope="col">{c}</th>)}
            {actions && <th scope="col"><span class="sr-only">{m.common.actions}</span></th>}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
