// @vitest-environment happy-dom
/** /account/notifications: your own switches saved one by one; managers' per-client switches and the failed list with its retry. */
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import AccountNotifications from '../../client/src/views/account/AccountNotifications.vue';
import { useSession } from '../../client/src/composables/use-session.ts';
import { flush, stubServer } from './stub-server.ts';

const sw = (rule: string, enabled: boolean, extra: object = {}) => ({ rule, label: `label of ${rule}`, enabled, ...extra });
const failed = { id: 9, rule: 'digest', channel: 'email', to: 'harbor@x', userId: 3, clientId: 'harbor', period: 'week-of-2026-11-30', subject: 'Weekly digest for Harbor Dental: week of 30 Nov', body: '…', status: 'failed', attempts: 5, lastError: '550 mailbox unavailable', transport: null, createdAt: '2026-11-30T07:00:00.000Z', sentAt: null };

afterEach(() => {
  vi.unstubAllGlobals();
  useSession().forget();
});

describe('AccountNotifications', () => {
  it('a client user switches a rule off; a rule off for its client says so', async () => {
    const puts: unknown[] = [];
    stubServer({
      'GET /api/account/notifications': () => [200, { rules: [sw('at-risk', true, { offForClient: false }), sw('digest', true, { offForClient: true })] }],
      'PUT /api/account/notifications': (body) => (puts.push(body), [200, { rules: [sw('at-risk', false, { offForClient: false }), sw('digest', true, { offForClient: true })] }]),
    });
    useSession().user.value = { id: 3, email: 'harbor@x', role: 'client', client: 'harbor', staff: null };
    const w = mount(AccountNotifications);
    await flush();
    expect(w.text()).toContain('switched off for your company by our managers');
    expect(w.text()).not.toContain('Per client');
    const box = w.get('[data-testid=rule-at-risk]');
    (box.element as HTMLInputElement).checked = false;
    await box.trigger('change');
    await flush();
    expect(puts).toEqual([{ rules: { 'at-risk': false } }]);
    expect((w.get('[data-testid=rule-at-risk]').element as HTMLInputElement).checked).toBe(false);
    w.unmount();
  });

  it('a manager reads the failed messages and sends one again', async () => {
    let retried = false;
    const calls = stubServer({
      'GET /api/account/notifications': () => [200, { rules: [sw('emergency', true), sw('account', true)] }],
      'GET /api/clients': () => [200, { items: [{ id: 'harbor', name: 'Harbor Dental', active: true }], total: 1, nextCursor: null }],
      'GET /api/clients/harbor/notifications': () => [200, { rules: [sw('at-risk', true), sw('digest', false)] }],
      'GET /api/notifications': () => [200, { items: retried ? [] : [failed], total: retried ? 0 : 1, nextCursor: null}],
      'POST /api/notifications/9/retry': () => ((retried = true), [200, { ...failed, status: 'queued', attempts: 0 }]),
    });
    useSession().user.value = { id: 1, email: 'boss@x', role: 'manager', client: null, staff: null };
    const w = mount(AccountNotifications);
    await flush();
    expect(w.text()).toContain('Per client');
    expect(w.text()).toContain('label of digest');
    expect(w.text()).toContain('550 mailbox unavailable');
    await w.get('[data-testid=only-failed]').setValue(true);
    await flush();
    expect(calls.some((c) => c.startsWith('GET /api/notifications?') && c.includes('status=failed'))).toBe(true);
    await w.findAll('button').find((b) => b.text() === 'Send again')!.trigger('click');
    await flush();
    expect(calls).toContain('POST /api/notifications/9/retry');
    expect(w.text()).not.toContain('550 mailbox unavailable');
    w.unmount();
  });
});
