import { cleanup, fireEvent, render, screen, waitFor } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n';
import { copyText } from '../../lib/clipboard';
import { InstallCommands } from './Tokens';
import { actionsFor, type Agent } from './model';

const install = {
  image: 'emma/agent:1',
  serverUrl: 'http://emma.example:8080',
  token: 'emet_1.secret',
  dockerRun: 'docker run -d --name emma-agent \\\n  -e EMMA_ENROLL_TOKEN=emet_1.secret \\\n  emma/agent:1',
  compose: 'services:\n  emma-agent:\n    image: emma/agent:1\n',
};

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(window, 'isSecureContext', { value: true, configurable: true });
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

afterEach(() => {
  cleanup();
  Object.defineProperty(window, 'isSecureContext', { value: false, configurable: true });
  Reflect.deleteProperty(navigator, 'clipboard');
  vi.restoreAllMocks();
});

describe('copying', () => {
  it('uses the Clipboard API where the page may', async () => {
    const writeText = vi.fn(() => Promise.resolve());
    stubClipboard(writeText);
    expect(await copyText('abc')).toBe(true);
    expect(writeText).toHaveBeenCalledWith('abc');
  });

  it('falls back to a selected textarea over plain HTTP, and cleans up', async () => {
    let copied = '';
    const exec = vi.fn((command: string) => {
      copied =
        command === 'copy' ? ((document.activeElement as HTMLTextAreaElement | null)?.value ?? '') : '';
      return true;
    });
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    expect(await copyText('docker run …')).toBe(true);
    expect(exec).toHaveBeenCalledWith('copy');
    expect(copied).toBe('docker run …');
    expect(document.querySelector('textarea')).toBeNull();
  });

  it('falls back when the Clipboard API refuses', async () => {
    stubClipboard(() => Promise.reject(new Error('denied')));
    const exec = vi.fn(() => false);
    Object.defineProperty(document, 'execCommand', { value: exec, configurable: true });
    expect(await copyText('x')).toBe(false);
    expect(exec).toHaveBeenCalled();
  });
});

describe('InstallCommands', () => {
  it('shows the token and the docker run command, each with a working Copy button', async () => {
    setLocale('en');
    const writeText = vi.fn(() => Promise.resolve());
    stubClipboard(writeText);
    render(() => <InstallCommands install={install} token="emet_1.secret" />);
    expect(screen.getByTestId('token-value').textContent).toBe('emet_1.secret');
    expect(screen.getByTestId('docker-run').textContent).toBe(install.dockerRun);

    fireEvent.click(screen.getByRole('button', { name: 'Copy command' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(install.dockerRun));
    await screen.findByRole('button', { name: 'Copied' });

    fireEvent.click(screen.getByRole('button', { name: 'Copy token' }));
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith('emet_1.secret'));
  });

  it('says so when copying fails, so the user selects the text instead', async () => {
    setLocale('en');
    Object.defineProperty(document, 'execCommand', { value: () => false, configurable: true });
    render(() => <InstallCommands install={install} />);
    expect(screen.queryByTestId('token-value')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Copy command' }));
    await screen.findByRole('button', { name: 'Copy failed – select the text' });
  });
});

describe('agent actions', () => {
  const agent = (status: Agent['status']) => ({ status }) as Agent;

  it('offers approval for pending agents, revocation for live ones, deletion for revoked ones', () => {
    expect(actionsFor(agent('pending'), true)).toEqual(['approve', 'reject']);
    expect(actionsFor(agent('online'), true)).toEqual(['rotate', 'revoke']);
    expect(actionsFor(agent('offline'), true)).toEqual(['rotate', 'revoke']);
    expect(actionsFor(agent('revoked'), true)).toEqual(['delete']);
  });

  it('offers nothing to a role that may not change agents', () => {
    for (const status of ['pending', 'online', 'offline', 'revoked'] as const) {
      expect(actionsFor(agent(status), false)).toEqual([]);
    }
  });
});
