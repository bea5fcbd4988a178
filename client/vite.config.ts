import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  plugins: [vue()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build the server serves: they would hand anyone the dashboard's source
    // and comments. `npm run dev:client` still maps everything.
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    // The timing report is for plugin authors; it only adds noise to `npm start` and the tests.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    port: 5173,
    // The dashboard imports the shared socket event maps and the plan contract from outside client/.
    fs: { allow: [repo] },
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
