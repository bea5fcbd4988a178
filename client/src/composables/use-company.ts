/** The company's name and currency (GET /api/settings), read again when the server says data changed. */
import { computed } from 'vue';
import type { CompanySettingsRecord } from '../../../shared/api/index.ts';
import { api } from '../api/http.ts';
import { useResource } from './use-resource.ts';

export function useCompany() {
  const company = useResource(() => 'company', () => api.settings.get(), null as CompanySettingsRecord | null, ['data.changed']);
  /** ISO 4217; null until read. */
  const currency = computed(() => company.data.value?.currency ?? null);
  return { ...company, currency };
}
