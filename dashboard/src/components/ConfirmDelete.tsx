// Deleting a row of a list: the row's button asks, the dialog shows progress and a failure, and the list
// is read again once the row is gone.
import { createSignal, Show, type Accessor } from 'solid-js';
import { t } from '../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { ErrorBanner } from './Feedback';

export interface Deletion<T> {
  /** The row being asked about; undefined while the dialog is closed. */
  target: Accessor<T | undefined>;
  busy: Accessor<boolean>;
  error: Accessor<unknown>;
  ask: (item: T) => void;
  cancel: () => void;
  confirm: () => Promise<void>;
}

export function createDeletion<T extends object>(
  remove: (item: T) => Promise<unknown>,
  onDeleted: () => void,
): Deletion<T> {
  const [target, setTarget] = createSignal<T>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  return {
    target,
    busy,
    error,
    ask: (item) => {
      setError(undefined);
      setTarget(() => item);
    },
    cancel: () => setTarget(undefined),
    confirm: async () => {
      const item = target();
      if (!item) return;
      setBusy(true);
      setError(undefined);
      try {
        await remove(item);
        setTarget(undefined);
        onDeleted();
      } catch (err) {
        setError(err);
      } finally {
        setBusy(false);
      }
    },
  };
}

export function ConfirmDelete<T>(props: { deletion: Deletion<T>; title: string; body: string }) {
  return (
    <ConfirmDialog
      open={props.deletion.target() !== undefined}
      title={props.title}
      confirmLabel={t('action.delete')}
      danger
      busy={props.deletion.busy()}
      onConfirm={() => void props.deletion.confirm()}
      onCancel={() => props.deletion.cancel()}
    >
      <p>{props.body}</p>
      <Show when={props.deletion.error()}>{(err) => <ErrorBanner error={err()} />}</Show>
    </ConfirmDialog>
  );
}
