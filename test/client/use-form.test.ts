// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { defineComponent, h } from 'vue';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/src/api/http.ts';
import { useForm } from '../../client/src/composables/use-form.ts';

describe('useForm in a component', () => {
  it('puts each server message next to its field and the rest on top', async () => {
    let form!: ReturnType<typeof useForm>;
    const Comp = defineComponent({
      setup() {
        form = useForm(['hours', 'week']);
        return () =>
          h('form', [
            h('p', { class: 'general' }, form.general.value ?? ''),
            h('span', { class: 'hours' }, form.fieldError('hours') ?? ''),
            h('span', { class: 'week' }, form.fieldError('week') ?? ''),
            h('span', { class: 'busy' }, String(form.busy.value)),
          ]);
      },
    });
    const w = mount(Comp);
    const result = await form.run(async () => {
      throw new ApiError(400, 'validation_failed', 'changes[0].hours: a block is at least 20 hours', [{ field: 'changes[0].hours', message: 'a block is at least 20 hours' }]);
    });
    await w.vm.$nextTick();
    expect(result).toBeUndefined();
    expect(w.find('.hours').text()).toBe('a block is at least 20 hours');
    expect(w.find('.week').text()).toBe('');
    expect(w.find('.general').text()).toBe('Check the highlighted fields.');
    expect(w.find('.busy').text()).toBe('false');

    await form.run(async () => {
      throw new ApiError(409, 'conflict', 'This record changed since you read it. Reload it and apply your change again.');
    });
    await w.vm.$nextTick();
    expect(w.find('.general').text()).toMatch(/Reload it/);
    expect(await form.run(async () => 42)).toBe(42);
    await w.vm.$nextTick();
    expect(w.find('.general').text()).toBe('');
  });
});

describe('FormField', () => {
  it('drops a field’s message once the user corrects it, and shows it again on the next submit', async () => {
    const { default: FormField } = await import('../../client/src/components/FormField.vue');
    const { ref } = await import('vue');
    const error = ref<string | null>('must be a quarter hour');
    const Comp = defineComponent({
      setup: () => () =>
        h('form', { onSubmit: (e: Event) => e.preventDefault() }, [
          h(FormField, { label: 'Hours', error: error.value }, { default: (a: { id: string }) => h('input', { id: a.id, class: 'hours' }) }),
          h('button', { type: 'submit' }, 'Save'),
        ]),
    });
    const w = mount(Comp, { attachTo: document.body });
    expect(w.find('.error').text()).toBe('must be a quarter hour');
    expect(w.find('.field').classes()).toContain('invalid');
    await w.find('input.hours').setValue('2.5');
    expect(w.find('.error').exists()).toBe(false);
    expect(w.find('.field').classes()).not.toContain('invalid');
    // The same message again after a submit: shown again.
    await w.find('form').trigger('submit');
    expect(w.find('.error').text()).toBe('must be a quarter hour');
    // A new message after another edit: shown.
    await w.find('input.hours').setValue('2.3');
    expect(w.find('.error').exists()).toBe(false);
    error.value = 'must be at most 40 hours';
    await w.vm.$nextTick();
    expect(w.find('.error').text()).toBe('must be at most 40 hours');
    w.unmount();
  });
});
