import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError } from '../../api/client';
import { setLocale } from '../../i18n';
import { ChangePasswordDialog, passwordProblems } from './ChangePassword';
import { formErrors } from '../../lib/form-errors';
import { permissionRows } from './Roles';
import { visibleTabs } from './tabs';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('server errors at form fields', () => {
  it('places validation details at the fields the form has', () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid body', [
      { path: 'body.email', message: 'Invalid email address', code: 'invalid_format' },
      { path: 'body.email', message: 'second problem', code: 'x' },
      { path: 'body.labels.Bad-Key', message: 'label names are lowercase', code: 'invalid_format' },
      { path: 'body.other', message: 'unknown field', code: 'x' },
    ]);
    expect(formErrors(error, ['email', 'labels'])).toEqual({
      fields: { email: 'Invalid email address', labels: 'label names are lowercase' },
      general: 'body.other: unknown field',
    });
  });

  it('puts a conflict at the field its code names, else above the form', () => {
    const taken = new ApiError(409, 'email_taken', 'A user with this email already exists');
    expect(formErrors(taken, ['email'], { email_taken: 'email' })).toEqual({
      fields: { email: 'A user with this email already exists' },
    });
    const lastAdmin = new ApiError(409, 'last_admin', 'This is the last active admin');
    expect(formErrors(lastAdmin, ['role'])).toEqual({ fields: {}, general: 'This is the last active admin' });
    expect(formErrors(new Error('offline'), ['email'])).toEqual({ fields: {}, general: 'offline' });
  });
});

describe('administration tabs', () => {
  const roleOf = (permissions: string[]) => (p: string) => permissions.includes(p);

  it('shows each role only the tabs it may read', () => {
    expect(visibleTabs(roleOf(['users:read', 'audit:read', 'roles:read']))).toEqual([
      'users',
      'audit',
      'roles',
    ]);
    expect(visibleTabs(roleOf(['roles:read', 'agents:read']))).toEqual(['roles']);
    expect(visibleTabs(roleOf([]))).toEqual([]);
  });

  it('lists every permission any role holds once, in order', () => {
    const rows = permissionRows([
      { name: 'admin', description: '', permissions: ['users:read', 'agents:read', 'agents:write'] },
      { name: 'viewer', description: '', permissions: ['agents:read'] },
    ]);
    expect(rows).toEqual(['users:read', 'agents:read', 'agents:write']);
  });
});

describe('change password', () => {
  it('checks what the browser can before asking the server', () => {
    setLocale('en');
    expect(passwordProblems({ currentPassword: '', newPassword: 'short', confirmPassword: 'other' })).toEqual(
      {
        currentPassword: 'Enter your current password',
        newPassword: 'must be at least 10 characters',
        confirmPassword: 'The two new passwords differ',
      },
    );
    expect(
      passwordProblems({
        currentPassword: 'x',
        newPassword: 'long enough 1',
        confirmPassword: 'long enough 1',
      }),
    ).toEqual({});
  });

  it('shows a mismatch at the field and sends nothing', async () => {
    setLocale('en');
    const fetchStub = vi.fn();
    vi.stubGlobal('fetch', fetchStub);
    render(() => <ChangePasswordDialog open onClose={() => undefined} />);
    fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'old password 1' } });
    fireEvent.input(screen.getByLabelText(/^New password/), { target: { value: 'new password 12' } });
    fireEvent.input(screen.getByLabelText('Repeat the new password'), {
      target: { value: 'new password 13' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    expect(await screen.findByText('The two new passwords differ')).toBeTruthy();
    expect(fetchStub).not.toHaveBeenCalled();
  });

  it("shows the server's refusal of the current password at its field", async () => {
    setLocale('en');
    const body = {
      error: {
        code: 'invalid_current_password',
        message: 'Current password is incorrect',
        details: [
          { path: 'body.currentPassword', message: 'is incorrect', code: 'invalid_current_password' },
        ],
        requestId: 'r1',
      },
    };
    // The answer as the typed client hands it over (jsdom's fetch cannot take the client's relative URLs).
    const post = vi
      .spyOn(api, 'POST')
      .mockResolvedValue({ error: body, response: new Response(null, { status: 400 }) });
    render(() => <ChangePasswordDialog open onClose={() => undefined} />);
    fireEvent.input(screen.getByLabelText('Current password'), { target: { value: 'wrong password' } });
    fireEvent.input(screen.getByLabelText(/^New password/), { target: { value: 'new password 12' } });
    fireEvent.input(screen.getByLabelText('Repeat the new password'), {
      target: { value: 'new password 12' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Change password' }));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post.mock.calls[0]?.[0]).toBe('/api/v1/auth/password');
    const field = screen.getByLabelText('Current password').closest('label');
    await waitFor(() => expect(field?.textContent).toContain('is incorrect'));
  });
});
