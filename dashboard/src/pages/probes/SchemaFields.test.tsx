import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { createSignal } from 'solid-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n';
import { fieldsOf, initialValues, probeTypesFromDocument, type FormValues } from './schema-form';
import { describeError, fieldLabel, SchemaFields } from './SchemaFields';
import { TEST_DOCUMENT } from './test-document';

setLocale('en');
afterEach(cleanup);

const [http, sql] = probeTypesFromDocument(TEST_DOCUMENT).map((x) =>
  fieldsOf(x.schema, ['agentId', 'labels']),
);

describe('SchemaFields', () => {
  it('renders an input per field with its label, kind and help', () => {
    render(() => (
      <SchemaFields
        fields={http!}
        values={initialValues(http!)}
        errors={{}}
        onChange={vi.fn()}
        idPrefix="t"
      />
    ));
    expect(screen.getByLabelText<HTMLInputElement>(/^URL/).type).toBe('url');
    expect(screen.getByLabelText<HTMLInputElement>(/^Interval \(s\)/).type).toBe('number');
    expect(screen.getByLabelText<HTMLInputElement>(/^Interval \(s\)/).value).toBe('60');
    expect(screen.getByLabelText<HTMLInputElement>('Follow redirects').checked).toBe(true);
    const method = screen.getByLabelText<HTMLSelectElement>(/^Method/);
    expect([...method.options].map((o) => o.value)).toEqual(['', 'GET', 'HEAD', 'POST']);
    expect(method.value).toBe('GET');
    expect(screen.getByLabelText(/^Request headers/).tagName).toBe('TEXTAREA');
    // A field without a text of its own: its key made readable, its schema description as help.
    expect(screen.getByLabelText(/^Min version/)).toBeTruthy();
    expect(screen.getByText('Slower than this counts as degraded.')).toBeTruthy();
    // The nested config object is a group.
    expect(screen.getByRole('group', { name: 'Check' })).toBeTruthy();
  });

  it('renders write-only fields as password inputs, with a note when a value is stored', () => {
    render(() => (
      <SchemaFields
        fields={sql!}
        values={initialValues(sql!)}
        errors={{}}
        onChange={vi.fn()}
        idPrefix="t"
        note={(f) => (f.kind === 'secret' ? 'A value is stored.' : undefined)}
      />
    ));
    const password = screen.getByLabelText<HTMLInputElement>(/^Password/);
    expect(password.type).toBe('password');
    expect(password.getAttribute('aria-describedby')).toBe('t-config-password-help');
    expect(document.getElementById('t-config-password-help')?.textContent).toBe('A value is stored.');
  });

  it('shows an error right at its field and marks the input invalid', () => {
    render(() => (
      <SchemaFields
        fields={http!}
        values={initialValues(http!)}
        errors={{ timeoutMs: 'must be shorter than the interval' }}
        onChange={vi.fn()}
        idPrefix="t"
      />
    ));
    const timeout = screen.getByLabelText(/^Timeout \(ms\)/);
    expect(timeout.getAttribute('aria-invalid')).toBe('true');
    const error = document.getElementById('t-timeoutMs-error');
    expect(error?.textContent).toBe('must be shorter than the interval');
    expect(error?.closest('[data-field]')?.getAttribute('data-field')).toBe('timeoutMs');
    expect(screen.getByLabelText(/^URL/).getAttribute('aria-invalid')).toBeNull();
  });

  it('reports typed values and switches by path', () => {
    const [values, setValues] = createSignal<FormValues>(initialValues(http!));
    const onChange = vi.fn((path: string, value: string | boolean) =>
      setValues({ ...values(), [path]: value }),
    );
    render(() => (
      <SchemaFields fields={http!} values={values()} errors={{}} onChange={onChange} idPrefix="t" />
    ));
    fireEvent.input(screen.getByLabelText(/^URL/), { target: { value: 'https://a.example' } });
    fireEvent.change(screen.getByLabelText('Follow redirects'), { target: { checked: false } });
    expect(onChange).toHaveBeenCalledWith('config.url', 'https://a.example');
    expect(onChange).toHaveBeenCalledWith('config.followRedirects', false);
    expect(values()['config.url']).toBe('https://a.example');
  });
});

describe('labels and messages', () => {
  it('prefers a text for the path over one for the key', () => {
    const dns = { path: 'config.name', key: 'name', kind: 'text' as const, required: true, schema: {} };
    expect(fieldLabel(dns)).toBe('Name to resolve');
    expect(fieldLabel({ ...dns, path: 'name' })).toBe('Name');
    setLocale('de');
    expect(fieldLabel(dns)).toBe('Aufzulösender Name');
    expect(describeError({ code: 'min', limit: 5 })).toBe('Mindestens 5.');
    setLocale('en');
    expect(describeError({ code: 'required' })).toBe('Required.');
  });
});
