// @vitest-environment happy-dom
/** The block dialog offers prepaid clients only: a pay-as-you-go client cannot buy a block. */
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import BlockDialog from '../../client/src/views/manager/BlockDialog.vue';
import { planView } from './fixtures.ts';

describe('BlockDialog', () => {
  it('lists prepaid clients only, by name, and says how many pay-as-you-go clients are left out', async () => {
    const plan = planView(); // Acme prepaid, Bolt Co pay-as-you-go
    const names = new Map(plan.clients.map((c) => [c.id, c.name]));
    const w = mount(BlockDialog, { props: { open: true, plan, names }, attachTo: document.body });
    await w.vm.$nextTick();
    const options = [...document.querySelectorAll<HTMLOptionElement>('[data-testid="block-client"] option')].filter((o) => o.value);
    expect(options.map((o) => [o.value, o.textContent])).toEqual([['acme', plan.clients[0]!.name]]);
    expect(document.querySelector('[data-testid="block-payg-note"]')?.textContent).toContain('one pay-as-you-go client is not listed');
    w.unmount();
  });
});
