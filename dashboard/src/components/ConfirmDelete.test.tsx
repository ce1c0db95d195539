import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../i18n';
import { ConfirmDelete, createDeletion } from './ConfirmDelete';

afterEach(cleanup);

interface Row {
  id: string;
  name: string;
}

describe('ConfirmDelete', () => {
  it('asks, deletes the row, closes and reads the list again', async () => {
    setLocale('en');
    const remove = vi.fn((_row: Row) => Promise.resolve());
    const reread = vi.fn();
    const deletion = createDeletion<Row>(remove, reread);
    render(() => <ConfirmDelete deletion={deletion} title="Delete web?" body="It goes for good." />);
    expect(screen.queryByRole('dialog')).toBeNull();
    deletion.ask({ id: '1', name: 'web' });
    expect(screen.getByRole('dialog', { name: 'Delete web?' }).textContent).toContain('It goes for good.');
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await vi.waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(remove).toHaveBeenCalledWith({ id: '1', name: 'web' });
    expect(reread).toHaveBeenCalledOnce();
  });

  it('keeps the dialog open with the failure, and forgets it on the next ask', async () => {
    setLocale('en');
    const deletion = createDeletion<Row>(() => Promise.reject(new Error('in use')), vi.fn());
    render(() => <ConfirmDelete deletion={deletion} title="Delete?" body="Sure?" />);
    deletion.ask({ id: '1', name: 'web' });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    await screen.findByText('in use', { exact: false });
    expect(deletion.busy()).toBe(false);
    deletion.cancel();
    expect(screen.queryByRole('dialog')).toBeNull();
    deletion.ask({ id: '2', name: 'db' });
    expect(deletion.error()).toBeUndefined();
    expect(screen.queryByText('in use', { exact: false })).toBeNull();
  });
});
