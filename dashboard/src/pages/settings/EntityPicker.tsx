// Chooses one agent, probe or container by name: a search box that asks the server (there may be thousands)
// and a list of the matches, with the current choice kept even when the search no longer finds it.
import { createResource, createSignal, For, onCleanup, Show } from 'solid-js';
import { t } from '../../i18n';
import { searchEntities, type EntityKind, type EntityOption } from './entities';

export interface EntityPickerProps {
  kind: EntityKind;
  id: string;
  label: string;
  value: string;
  /** The chosen entity's name, when known. */
  valueName?: string | null | undefined;
  onChange: (id: string) => void;
  describedBy?: string;
  disabled?: boolean;
  /** The empty choice's text (default: any). */
  emptyLabel?: string;
  required?: boolean;
}

export function EntityPicker(props: EntityPickerProps) {
  const [search, setSearch] = createSignal('');
  const [query, setQuery] = createSignal('');
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));
  const [found] = createResource(
    () => ({ kind: props.kind, q: query() }),
    ({ kind, q }) => searchEntities(kind, q),
  );
  const options = (): EntityOption[] => {
    const list = found.latest ?? [];
    if (props.value === '' || list.some((o) => o.id === props.value)) return list;
    return [{ id: props.value, name: props.valueName ?? props.value }, ...list];
  };
  return (
    <div class="picker">
      <label for={props.id}>
        {props.label}
        {props.required ? ' *' : ''}
      </label>
      <input
        type="search"
        value={search()}
        placeholder={t('settings.picker.search')}
        aria-label={t('settings.picker.searchFor', { what: props.label })}
        disabled={props.disabled}
        onInput={(e) => {
          const text = e.currentTarget.value;
          setSearch(text);
          clearTimeout(timer);
          timer = setTimeout(() => setQuery(text), 250);
        }}
      />
      <select
        id={props.id}
        value={props.value}
        aria-describedby={props.describedBy}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="" selected={props.value === ''}>
          {props.emptyLabel ?? t('settings.picker.any')}
        </option>
        <For each={options()}>
          {(option) => (
            <option value={option.id} selected={option.id === props.value}>
              {option.detail ? `${option.name} (${option.detail})` : option.name}
            </option>
          )}
        </For>
      </select>
      <Show when={found.error !== undefined}>
        <small class="field-error">{t('settings.picker.failed')}</small>
      </Show>
    </div>
  );
}
