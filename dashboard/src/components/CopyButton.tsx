// A Copy button that says whether it worked; on failure the text stays selectable beside it.
import { createSignal, onCleanup } from 'solid-js';
import { t } from '../i18n';
import { copyText } from '../lib/clipboard';

export function CopyButton(props: { text: string; label?: string }) {
  const [state, setState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => {
    clearTimeout(timer);
  });
  const copy = async () => {
    const ok = await copyText(props.text);
    setState(ok ? 'copied' : 'failed');
    clearTimeout(timer);
    timer = setTimeout(() => setState('idle'), 2500);
  };
  const text = () =>
    state() === 'copied'
      ? t('action.copied')
      : state() === 'failed'
        ? t('action.copyFailed')
        : (props.label ?? t('action.copy'));
  return (
    <button
      type="button"
      class="button small"
      classList={{ 'copy-ok': state() === 'copied' }}
      onClick={() => void copy()}
      aria-live="polite"
    >
      {text()}
    </button>
  );
}
