import { defineConfig } from 'vite';

// The console's jar serves the build (./mvnw puts it in target/classes/static); during front-end
// work, `npm run dev` serves the sources and passes /api and /auth to a console on 8084.
export default defineConfig({
  build: {
    target: 'es2022',
    // ./mvnw builds into the console jar's static resources
    outDir: process.env.CONSOLE_OUT_DIR ?? 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8084', '/auth': 'http://127.0.0.1:8084' },
  },
  test: {
    include: ['test/**/*.test.ts'],
  },
});
