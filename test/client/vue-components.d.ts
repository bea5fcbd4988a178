// The root type-check (tsc) does not read single-file components; vue-tsc checks them (npm run
// typecheck:client). Component tests import them as plain Vue components.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<Record<string, unknown>, Record<string, unknown>, unknown>;
  export default component;
}
