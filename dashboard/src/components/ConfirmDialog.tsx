// Asks before a consequential action (stop a container, revoke an agent, delete...).
import { Show, type JSX } from 'solid-js';
import { t } from '../i18n';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children?: JSX.Element;
  confirmLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  return (
    <Show when={props.open}>
      <div class="modal-backdrop" onClick={() => props.onCancel()}>
        <div
          class="modal"
          role="dialog"
          aria-modal="true"
          aria-label={props.title}
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => {
            if (e.key === 'Escape') props.onCancel();
          }}
        >
          <h2>{props.title}</h2>
          <div class="modal-body">{props.children}</div>
          <div class="modal-actions">
            <button type="button" class="button" onClick={() => props.onCancel()} disabled={props.busy}>
              {t('action.cancel')}
            </button>
            <button
              type="button"
              class={`button ${props.danger ? 'danger' : 'primary'}`}
              onClick={() => props.onConfirm()}
              disabled={props.busy}
              autofocus
            >
              {props.confirmLabel ?? t('action.confirm')}
            </button>
          </div>
        </div>
      </div>
    </Show>
  );
}
