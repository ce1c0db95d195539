import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// In development (`npm run dev -w dashboard`) the API runs on 8080 and the page on Vite's port.
const api = process.env.EMMA_API_URL ?? 'http://127.0.0.1:8080';

// Two chunks of our own instead of one per page (about 40): each file is gzipped on its own, so many small
// ones cost more in all than a few large ones (161 kB against 139 kB; the budget is 150 kB, see
// docs/performance.md). uPlot and the pages that draw charts load when one of them is opened; the rest is one
// chunk. Each module stays in its own group, so execution order is kept strict across chunks.
const CHARTS =
  /node_modules[\\/]uplot[\\/]|src[\\/]components[\\/]TimeSeriesChart\.tsx|src[\\/]lib[\\/](series|align)\.ts|src[\\/]pages[\\/](hosts[\\/](HostDetail\.tsx|charts\.ts)|containers[\\/]ContainerDetail\.tsx|probes[\\/]ProbeDetail\.tsx|dashboards[\\/](?!messages\.ts))/;

export default defineConfig({
  plugins: [solid()],
  build: {
    target: 'es2022',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    rolldownOptions: {
      output: {
        strictExecutionOrder: true,
        codeSplitting: {
          groups: [
            { name: 'charts', test: CHARTS, priority: 2, includeDependenciesRecursively: false },
            { name: 'app', test: /./, priority: 1, includeDependenciesRecursively: false },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': api, '/health': api, '/ready': api },
  },
});
