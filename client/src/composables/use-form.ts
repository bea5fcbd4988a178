/** Form submission state: busy flag, and the server's errors by field. */
import { computed, ref, shallowRef } from 'vue';
import { ApiError } from '../api/http.ts';

export function useForm(fields: string[] = []) {
  const busy = ref(false);
  const error = shallowRef<ApiError | null>(null);
  return {
    busy,
    error,
    /** The server's message for a field, if it named one. */
    fieldError: (name: string) => error.value?.fieldMessage(name),
    /** The message shown above the form: the error, less what is shown next to the fields. */
    general: computed(() => {
      const e = error.value;
      if (!e) return null;
      const others = e.otherIssues(fields);
      if (e.details.length && !others.length) return 'Check the highlighted fields.';
      return e.message;
    }),
    clear: () => (error.value = null),
    async run<T>(fn: () => Promise<T>): Promise<T | undefined> {
      busy.value = true;
      error.value = null;
      try {
        return await fn();
      } catch (err) {
        error.value = err instanceof ApiError ? err : new ApiError(0, 'error', err instanceof Error ? err.message : String(err));
        return undefined;
      } finally {
        busy.value = false;
      }
    },
  };
}
