// Loading, error and empty states, the same everywhere.
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBanner(props: { error: unknown; onRetry?: () => void }) {
  const message = () => (props.error instanceof Error ? props.error.message : String(props.error));
  return (
    <div class="banner tone-bad" role="alert">
      {t('common.error', { message: message() })}
      <Show when={props.onRetry}>
        {' '}
        <button type="button" class="button small" onClick={() => props.onRetry?.()}>
          {t('action.retry')}
        </button>
      </Show>
    </div>
  );
}

export function Empty(props: { children?: JSX.Element }) {
  return <p class="muted empty">{props.children ?? t('common.empty')}</p>;
}

export function PageHeader(props: { title: string; children?: JSX.Element }) {
  return (
    <header class="page-header">
      <h1>{props.title}</h1>
      <div class="page-actions">{props.children}</div>
    </header>
  );
}
