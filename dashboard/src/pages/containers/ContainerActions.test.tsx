import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLocale } from '../../i18n';
import { ActionProgress, ContainerActionButtons } from './ContainerActions';
import { container } from './test-fixtures';
import type { ContainerAction } from './container-logic';

setLocale('en');
afterEach(cleanup);

const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });

describe('ContainerActionButtons', () => {
  it('enables what fits a running container and requests the clicked action', () => {
    const onAction = vi.fn();
    render(() => <ContainerActionButtons container={container()} busy={false} onAction={onAction} />);
    expect(button('Start').disabled).toBe(true);
    expect(button('Start').title).toMatch(/while the container is Running/);
    expect(button('Stop').disabled).toBe(false);
    expect(button('Restart').disabled).toBe(false);
    fireEvent.click(button('Stop'));
    expect(onAction).toHaveBeenCalledWith('stop');
  });

  it('enables Start for an exited container', () => {
    render(() => (
      <ContainerActionButtons container={container({ state: 'exited' })} busy={false} onAction={vi.fn()} />
    ));
    expect(button('Start').disabled).toBe(false);
    expect(button('Stop').disabled).toBe(true);
  });

  it('disables everything while an action is on its way', () => {
    render(() => <ContainerActionButtons container={container()} busy={true} onAction={vi.fn()} />);
    for (const name of ['Start', 'Stop', 'Restart']) expect(button(name).disabled).toBe(true);
  });

  it('disables everything and says why on a read-only agent', () => {
    render(() => (
      <ContainerActionButtons
        container={container({ actionsEnabled: false })}
        busy={false}
        onAction={vi.fn()}
      />
    ));
    for (const name of ['Start', 'Stop', 'Restart']) expect(button(name).disabled).toBe(true);
    expect(screen.getByRole('note').textContent).toMatch(/web-1 runs read-only/);
  });
});

describe('ActionProgress', () => {
  const base: ContainerAction = {
    id: '20000000-0000-4000-8000-000000000001',
    container: { id: '1', containerId: 'abc', name: 'shop-web' },
    agentId: '2',
    action: 'restart',
    status: 'running',
    stopTimeoutS: 10,
    requestedBy: { id: '3', email: 'op@example.com', name: 'Olivia' },
    requestedAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T00:01:00.000Z',
    takenAt: '2025-01-01T00:00:01.000Z',
    finishedAt: null,
    message: null,
  };

  it('shows the current step and who asked', () => {
    const { container: root } = render(() => <ActionProgress action={base} />);
    expect(screen.getByRole('heading').textContent).toBe('Restart: shop-web');
    expect(root.querySelector('[data-step="sent"]')?.getAttribute('data-state')).toBe('current');
    expect(root.textContent).toMatch(/Requested by Olivia/);
  });

  it('shows a failure with the agent’s message', () => {
    const { container: root } = render(() => (
      <ActionProgress action={{ ...base, status: 'failed', message: 'no such container' }} />
    ));
    expect(root.querySelector('[data-step="failed"]')?.getAttribute('data-state')).toBe('failed');
    expect(root.textContent).toMatch(/no such container/);
  });
});
