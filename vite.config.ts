import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/server/contentSecurityPolicy.js';

/**
 * Writes the shared Content-Security-Policy into index.html, so the meta tag the Electron
 * window relies on and the header browser mode sends can never differ.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'samsa-csp-meta',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
      ],
    },
  };
}

export default defineConfig({
  root: 'renderer',
  // Relative asset URLs work both from file:// in Electron and from http://127.0.0.1 in a browser.
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 ships Chromium 140; browser mode expects a current browser too.
    target: 'chrome120',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
