// Create or change a probe. The fields are generated from the probe types' schemas in the server's OpenAPI
// document (schema-form.ts), so every type and option the server knows is offered; the server's
// validation errors appear next to the fields they are about.
import { A, useNavigate, useParams } from '@solidjs/router';
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from 'solid-js';
import { ApiError, api, unwrap } from '../../api/client';
import type { paths } from '../../api/schema.gen';
import { can } from '../../api/session';
import { ErrorBanner, Loading, PageHeader } from '../../components/Feedback';
import { firstMessage, t } from '../../i18n';
import { loadAgents, loadProbeTypes, type Agent } from './probe-api';
import type { Probe } from './probe-logic';
import {
  allPaths,
  fieldsOf,
  initialValues,
  serverErrors,
  toBody,
  validate,
  type Field,
  type FormValues,
  type ProbeTypeSchema,
} from './schema-form';
import { describeError, fieldId, SchemaFields } from './SchemaFields';
import './probes.css';

/** Where a probe runs is chosen with its own control (one agent, or agents by labels). */
const PLACEMENT = ['agentId', 'labels'];
const ID_PREFIX = 'probe';

type CreateBody = paths['/api/v1/probes']['post']['requestBody']['content']['application/json'];

/** A type the dashboard has no text for yet is still offered, by its name. */
function typeLabel(type: string): string {
  return firstMessage(`probes.type.${type}`) ?? type.toUpperCase();
}

export default function ProbeEdit() {
  const params = useParams<{ id?: string }>();
  const [types, { refetch: reloadTypes }] = createResource(loadProbeTypes);
  const [agents, { refetch: reloadAgents }] = createResource(loadAgents);
  const [existing, { refetch: reloadExisting }] = createResource(
    () => params.id,
    (id) => unwrap(api.GET('/api/v1/probes/{id}', { params: { path: { id } } })),
  );
  const title = () => (params.id ? t('probes.editTitle') : t('probes.newTitle'));
  const failure = () => (types.error ?? agents.error ?? existing.error) as unknown;
  const retry = () => {
    if (types.error) void reloadTypes();
    if (agents.error) void reloadAgents();
    if (existing.error) void reloadExisting();
  };
  const ready = () => {
    if (failure()) return undefined;
    const loadedTypes = types();
    const loadedAgents = agents();
    if (!loadedTypes || !loadedAgents || (params.id && !existing())) return undefined;
    return { types: loadedTypes, agents: loadedAgents, probe: existing() };
  };

  return (
    <div class="stack pr-detail">
      <p class="muted">
        <A href={params.id ? `/probes/${params.id}` : '/probes'}>
          ← {t(params.id ? 'probes.backToProbe' : 'probes.title')}
        </A>
      </p>
      <PageHeader title={title()} />
      <Switch fallback={<Loading />}>
        <Match when={!can('probes:write')}>
          <p class="banner tone-warn" role="alert">
            {t('common.noPermission')}
          </p>
        </Match>
        <Match when={failure()}>
          <ErrorBanner error={failure()} onRetry={retry} />
        </Match>
        <Match when={ready()} keyed>
          {(loaded) => <ProbeForm types={loaded.types} agents={loaded.agents} probe={loaded.probe} />}
        </Match>
      </Switch>
    </div>
  );
}

type Mode = 'agent' | 'labels';

function ProbeForm(props: { types: ProbeTypeSchema[]; agents: Agent[]; probe: Probe | undefined }) {
  const navigate = useNavigate();
  const editing = props.probe !== undefined;
  const [type, setType] = createSignal(props.probe?.type ?? props.types[0]?.type ?? '');
  const member = createMemo(
    () => props.types.find((x) => x.type === type()) ?? props.types[0] ?? { type: '', schema: {} },
  );
  const fields = createMemo(() => fieldsOf(member().schema, PLACEMENT));
  const placementFields = createMemo(() =>
    fieldsOf(member().schema).filter((f) => PLACEMENT.includes(f.path)),
  );
  const labelsField = createMemo(() => placementFields().find((f) => f.path === 'labels'));

  const [values, setValues] = createSignal<FormValues>({
    ...initialValues(fields(), props.probe),
    ...initialValues(placementFields(), props.probe),
  });
  const [mode, setMode] = createSignal<Mode>(
    props.probe && props.probe.agentId === null ? 'labels' : 'agent',
  );
  const [agentId, setAgentId] = createSignal(
    props.probe?.agentId ?? (props.agents.length === 1 ? (props.agents[0]?.id ?? '') : ''),
  );
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [otherErrors, setOtherErrors] = createSignal<string[]>([]);
  const [failure, setFailure] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  let form!: HTMLFormElement;

  const change = (path: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [path]: value }));
    setErrors((current) => {
      const { [path]: _gone, ...rest } = current;
      return rest;
    });
  };

  // Another type: its own config fields with their defaults; the common fields keep what was typed.
  const switchType = (next: string) => {
    setType(next);
    const fresh = initialValues(fields());
    setValues((current) => {
      const kept = Object.fromEntries(
        Object.entries(current).filter(([path]) => !path.startsWith('config.')),
      );
      return { ...fresh, ...kept };
    });
    setErrors({});
  };

  /** The labels selector is required when it is the chosen placement. */
  const placementCheckFields = (): Field[] => {
    const labels = labelsField();
    return mode() === 'labels' && labels ? [{ ...labels, required: true }] : [];
  };

  const placementBody = (): Record<string, unknown> =>
    mode() === 'agent' ? { agentId: agentId() } : toBody(placementCheckFields(), values());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setFailure(undefined);
    setOtherErrors([]);
    const client: Record<string, string> = {};
    for (const [path, error] of Object.entries(validate([...fields(), ...placementCheckFields()], values())))
      client[path] = describeError(error);
    if (mode() === 'agent' && !agentId()) client.agentId = t('probes.form.chooseAgent');
    setErrors(client);
    if (Object.keys(client).length > 0) {
      focusFirstError();
      return;
    }
    const body = { ...toBody(fields(), values()), ...placementBody() };
    setBusy(true);
    try {
      const saved = props.probe
        ? await unwrap(
            api.PATCH('/api/v1/probes/{id}', {
              params: { path: { id: props.probe.id } },
              // Built from the server's own schema; the server validates it again.
              body,
            }),
          )
        : await unwrap(
            api.POST('/api/v1/probes', {
              body: { ...body, type: type() } as CreateBody,
            }),
          );
      navigate(`/probes/${saved.id}`);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 400 || err.status === 422)) {
        const known = allPaths([...fields(), ...placementFields()]);
        const mapped = serverErrors(err.details, known);
        setErrors(mapped.fields);
        setOtherErrors(mapped.other);
        if (Object.keys(mapped.fields).length === 0 && mapped.other.length === 0) setFailure(err);
        focusFirstError();
      } else {
        setFailure(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const focusFirstError = () => {
    queueMicrotask(() => {
      form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    });
  };

  const secretNote = (field: Field): string | undefined =>
    field.kind === 'secret' && props.probe?.secretsSet.includes(field.key)
      ? t('probes.form.secretKept')
      : undefined;

  return (
    <form
      ref={form}
      class="form pf-form"
      novalidate
      onSubmit={(e) => void submit(e)}
      aria-label={t('probes.form.label')}
    >
      <Show when={!editing}>
        <fieldset class="pf-group">
          <legend>{t('probes.type')}</legend>
          <div class="pf-types" role="radiogroup" aria-label={t('probes.type')}>
            <For each={props.types}>
              {(x) => (
                <button
                  type="button"
                  role="radio"
                  class="chip"
                  classList={{ active: x.type === type() }}
                  aria-checked={x.type === type()}
                  data-type={x.type}
                  onClick={() => switchType(x.type)}
                >
                  {typeLabel(x.type)}
                </button>
              )}
            </For>
          </div>
        </fieldset>
      </Show>
      <Show when={editing}>
        <p class="muted">{t('probes.form.typeFixed', { type: typeLabel(type()) })}</p>
      </Show>

      <SchemaFields
        fields={fields()}
        values={values()}
        errors={errors()}
        onChange={change}
        idPrefix={ID_PREFIX}
        note={secretNote}
      />

      <Show when={placementFields().length > 0}>
        <fieldset class="pf-group" data-field="placement">
          <legend>{t('probes.runsOn')}</legend>
          <div class="pf-placement" role="radiogroup">
            <label>
              <input
                type="radio"
                name="placement"
                checked={mode() === 'agent'}
                onChange={() => setMode('agent')}
              />
              {t('probes.form.oneAgent')}
            </label>
            <Show when={labelsField()}>
              <label>
                <input
                  type="radio"
                  name="placement"
                  checked={mode() === 'labels'}
                  onChange={() => setMode('labels')}
                />
                {t('probes.form.byLabels')}
              </label>
            </Show>
          </div>
          <Show
            when={mode() === 'agent'}
            fallback={
              <SchemaFields
                fields={placementCheckFields()}
                values={values()}
                errors={errors()}
                onChange={change}
                idPrefix={ID_PREFIX}
              />
            }
          >
            <div class="pf-field" data-field="agentId" classList={{ 'pf-invalid': !!errors().agentId }}>
              <label class="pf-label" for={fieldId(ID_PREFIX, 'agentId')}>
                {t('probes.agent')}
              </label>
              <select
                id={fieldId(ID_PREFIX, 'agentId')}
                value={agentId()}
                aria-invalid={errors().agentId ? 'true' : undefined}
                aria-describedby={errors().agentId ? `${fieldId(ID_PREFIX, 'agentId')}-error` : undefined}
                onChange={(e) => {
                  setAgentId(e.currentTarget.value);
                  change('agentId', e.currentTarget.value);
                }}
              >
                <option value="" selected={agentId() === ''}>
                  {props.agents.length === 0 ? t('probes.form.noAgents') : t('probes.form.choose')}
                </option>
                <For each={props.agents.filter((a) => a.deletedAt === null && a.status !== 'revoked')}>
                  {(agent) => (
                    <option value={agent.id} selected={agent.id === agentId()}>
                      {agent.name} ({t(`state.${agent.status}`)})
                    </option>
                  )}
                </For>
              </select>
              <Show when={errors().agentId}>
                <p class="field-error" id={`${fieldId(ID_PREFIX, 'agentId')}-error`} role="alert">
                  {errors().agentId}
                </p>
              </Show>
            </div>
          </Show>
        </fieldset>
      </Show>

      <Show when={otherErrors().length > 0}>
        <div class="banner tone-bad" role="alert">
          <For each={otherErrors()}>{(message) => <div>{message}</div>}</For>
        </div>
      </Show>
      <Show when={failure()}>
        <ErrorBanner error={failure()} />
      </Show>
      <div class="pf-actions">
        <button type="submit" class="button primary" disabled={busy()}>
          {editing ? t('action.save') : t('action.create')}
        </button>
        <A class="button" href={props.probe ? `/probes/${props.probe.id}` : '/probes'}>
          {t('action.cancel')}
        </A>
      </div>
    </form>
  );
}
