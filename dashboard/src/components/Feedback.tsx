// Loading, error and empty states, the same everywhere.
import { Show, splitProps, type Accessor, type JSX } from 'solid-js';
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

/**
 * Data being read: its error (with a retry) above whatever was read before, "loading" while there is
 * nothing yet and no error, and the data once there is some.
 */
export function Loaded<T>(props: {
  value: T | undefined | null | false;
  error: unknown;
  onRetry?: () => void;
  children: JSX.Element | ((value: Accessor<NonNullable<T>>) => JSX.Element);
}) {
  return (
    <>
      <Show when={props.error}>
        <ErrorBanner error={props.error} onRetry={props.onRetry} />
      </Show>
      <Show when={props.value} fallback={<Show when={!props.error}>{<Loading />}</Show>}>
        {props.children}
      </Show>
    </>
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

/** A form field's problem (the browser's check or the server's validation message), right below its input. */
export function FieldError(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      <span class="field-error" role="alert">
        {props.message}
      </span>
    </Show>
  );
}

/** The search box of a list's toolbar, named for screen readers by a hidden label. */
export function SearchField(props: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onInput: (value: string) => void;
}) {
  return (
    <>
      <label class="sr-only" for={props.id}>
        {props.label}
      </label>
      <input
        id={props.id}
        type="search"
        placeholder={props.placeholder}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    </>
  );
}

/** A toggle of a list's filter bar (a state, a kind…), pressed while its filter applies. */
export function FilterChip(props: JSX.ButtonHTMLAttributes<HTMLButtonElement> & { active: boolean }) {
  const [local, rest] = splitProps(props, ['active']);
  return (
    <button
      type="button"
      class="chip"
      classList={{ active: local.active }}
      aria-pressed={local.active}
      {...rest}
    />
  );
}
