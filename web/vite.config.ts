import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// Dev server: `npm run dev` proxies /v1 to a local gateway
// (ISIM_GATEWAY_URL, default http://127.0.0.1:8080). For working against a
// gateway without browser sessions, ISIM_DEV_API_KEY adds a bearer key to
// proxied calls (dev only; never part of the build).
const gateway = process.env.ISIM_GATEWAY_URL || 'http://127.0.0.1:8080';
const devKey = process.env.ISIM_DEV_API_KEY;

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    proxy: {
      '/v1': {
        target: gateway,
        changeOrigin: false,
        configure: (proxy) => {
          if (devKey) proxy.on('proxyReq', (req) => req.setHeader('Authorization', `Bearer ${devKey}`));
        },
      },
    },
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
