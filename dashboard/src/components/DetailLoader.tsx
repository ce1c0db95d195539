// The first read of a detail page: loading, "not found" (with the way back) or a retryable error, then the
// page itself with what was read (which keeps itself current from there on).
import { A } from '@solidjs/router';
import { createResource, Match, Show, Switch, type JSX } from 'solid-js';
import { ApiError } from '../api/client';
import { Empty, ErrorBanner, Loading } from './Feedback';

export function DetailLoader<T>(props: {
  id: string;
  load: (id: string) => Promise<T>;
  back: { href: string; label: string };
  notFound: string;
  /** Answers that mean there is no such item (a 400 where the server rejects the id's form). */
  missing?: readonly number[];
  children: (item: T) => JSX.Element;
}) {
  const [first, { refetch }] = createResource(() => props.id, props.load);
  const missing = () =>
    first.error instanceof ApiError && (props.missing ?? [404]).includes(first.error.status);
  return (
    <Switch fallback={<Loading />}>
      <Match when={first.error as unknown}>
        <p>
          <A href={props.back.href}>← {props.back.label}</A>
        </p>
        <Show
          when={missing()}
          fallback={<ErrorBanner error={first.error as unknown} onRetry={() => void refetch()} />}
        >
          <Empty>{props.notFound}</Empty>
        </Show>
      </Match>
      <Match when={first()} keyed>
        {(item) => props.children(item)}
      </Match>
    </Switch>
  );
}
