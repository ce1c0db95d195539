import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { createStore } from 'solid-js/store';
import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from '../../i18n';
import { fieldLabel, SchemaFields } from './SchemaFields';
import {
  collect,
  fieldsOf,
  initialState,
  type FormState,
  type FormValue,
  type JsonSchema,
} from './schema-form';

const webhook: JsonSchema = {
  properties: {
    url: { type: 'string', format: 'uri' },
    method: { default: 'POST', type: 'string', enum: ['POST', 'PUT'] },
    secret: { type: 'string', writeOnly: true },
    headers: { type: 'object', additionalProperties: { type: 'string' }, writeOnly: true },
    retries: { type: 'integer', description: 'How often to try again' },
    silent: { type: 'boolean', default: false },
  },
  required: ['url'],
};

function setup(options: { secretsSet?: string[]; errors?: Record<string, string> } = {}) {
  setLocale('en');
  const fields = fieldsOf(webhook);
  const [state, setState] = createStore<FormState>(
    initialState(fields, { url: 'https://a.example', method: 'PUT' }),
  );
  render(() => (
    <SchemaFields
      fields={fields}
      state={state}
      onChange={(name: string, value: FormValue) => setState(name, value)}
      errors={options.errors ?? {}}
      secretsSet={options.secretsSet ?? []}
      idPrefix="t"
      scope="webhook"
    />
  ));
  return { fields, state };
}

afterEach(cleanup);

describe('SchemaFields', () => {
  it('renders each kind of field with its label, value and hint', () => {
    setup();
    expect(screen.getByLabelText('URL *')).toHaveProperty('value', 'https://a.example');
    expect(screen.getByText('Where eMMA sends the message as JSON.')).toBeTruthy();
    const method = screen.getByLabelText<HTMLSelectElement>('HTTP method');
    expect(method.value).toBe('PUT');
    expect([...method.options].map((o) => o.text)).toEqual(['Default (POST)', 'POST', 'PUT']);
    expect(screen.getByLabelText('Signing secret')).toHaveProperty('type', 'password');
    // No message names "retries": a readable name and the schema's own description.
    expect(screen.getByLabelText('Retries')).toHaveProperty('type', 'number');
    expect(screen.getByText('How often to try again')).toBeTruthy();
    expect(screen.getByLabelText('Send silently')).toHaveProperty('checked', false);
  });

  it('never shows a stored secret, and says that empty keeps it', () => {
    setup({ secretsSet: ['secret'] });
    expect(screen.getByLabelText('Signing secret')).toHaveProperty('value', '');
    expect(screen.getAllByText(/A value is stored and not shown/)).toHaveLength(1);
  });

  it('edits the form state, key/value rows included', () => {
    const { fields, state } = setup();
    fireEvent.input(screen.getByLabelText('URL *'), { target: { value: 'https://b.example' } });
    fireEvent.change(screen.getByLabelText('HTTP method'), { target: { value: '' } });
    fireEvent.input(screen.getByLabelText('Signing secret'), { target: { value: 'hunter22' } });
    fireEvent.click(screen.getByLabelText('Send silently'));
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.input(screen.getByLabelText('Extra headers: key 1'), { target: { value: 'X-Api-Key' } });
    fireEvent.input(screen.getByLabelText('Extra headers: value 1'), { target: { value: 'k1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add row' }));
    fireEvent.click(screen.getByRole('button', { name: 'Remove row 2' }));
    expect(collect(fields, state).values).toEqual({
      url: 'https://b.example',
      secret: 'hunter22',
      headers: { 'X-Api-Key': 'k1' },
      silent: true,
    });
  });

  it('shows errors beside their fields', () => {
    setup({ errors: { url: 'Invalid URL' } });
    expect(screen.getByRole('alert').textContent).toBe('Invalid URL');
    expect(screen.getByLabelText('URL *').getAttribute('aria-invalid')).toBe('true');
  });

  it('names fields in German too', () => {
    setLocale('de');
    expect(fieldLabel('repeatIntervalS')).toBe('Wiederholen alle (Sekunden)');
    setLocale('en');
  });
});
