// Renders only the rows in view, so lists of thousands of items stay fast. Rows have one fixed height.
import { createMemo, createSignal, For, onCleanup, onMount, type JSX } from 'solid-js';

export interface VirtualListProps<T> {
  items: readonly T[];
  rowHeight: number;
  /** Visible height in pixels (the list scrolls inside it). */
  height: number;
  overscan?: number;
  children: (item: T, index: number) => JSX.Element;
  class?: string;
  'aria-label'?: string;
}

export function VirtualList<T>(props: VirtualListProps<T>) {
  let viewport!: HTMLDivElement;
  const [scrollTop, setScrollTop] = createSignal(0);
  const overscan = () => props.overscan ?? 6;
  const range = createMemo(() => {
    const first = Math.max(0, Math.floor(scrollTop() / props.rowHeight) - overscan());
    const count = Math.ceil(props.height / props.rowHeight) + overscan() * 2;
    return { first, last: Math.min(props.items.length, first + count) };
  });
  const visible = createMemo(() => {
    const { first, last } = range();
    return props.items.slice(first, last).map((item, i) => ({ item, index: first + i }));
  });
  onMount(() => {
    const onScroll = () => setScrollTop(viewport.scrollTop);
    viewport.addEventListener('scroll', onScroll, { passive: true });
    onCleanup(() => {
      viewport.removeEventListener('scroll', onScroll);
    });
  });
  return (
    <div
      ref={viewport}
      class={`virtual-list ${props.class ?? ''}`}
      style={{ height: `${props.height}px`, overflow: 'auto', position: 'relative' }}
      role="list"
      aria-label={props['aria-label']}
    >
      <div style={{ height: `${props.items.length * props.rowHeight}px`, position: 'relative' }}>
        <For each={visible()}>
          {(row) => (
            <div
              role="listitem"
              class="virtual-row"
              style={{
                position: 'absolute',
                top: `${row.index * props.rowHeight}px`,
                left: '0',
                right: '0',
                height: `${props.rowHeight}px`,
              }}
            >
              {props.children(row.item, row.index)}
            </div>
          )}
        </For>
      </div>
    </div>
  );
}
