import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Node globals for the plain-JavaScript scripts; TypeScript files get theirs from @types/node.
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'Buffer', 'performance', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'].map((name) => [name, 'readonly']),
);

// Layering (see the architecture guide): src/ runs in plain Node, shared by the CLI, browser
// mode and Electron main, so it never touches Electron or the UI; the renderer reaches the
// back end only through the API contract's types and schemas.
const electronImport = { name: 'electron', message: 'Only main/ may import Electron; src/ runs in plain Node too.' };

export default tseslint.config(
  // Generated protocol codecs are checked by the generator's own tests, not hand-linted.
  { ignores: ['dist/', 'release/', 'test-results/', 'playwright-report/', 'node_modules/', 'src/protocol/generated/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport],
          patterns: [{ regex: '^(\\.\\./)+(main|renderer)/', message: 'src/ must not depend on main/ or renderer/.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer reaches Electron only through window.samsa (main/preload.ts).' }],
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!api/(contract|envelope|bridge)$|api/schemas/)',
              message: 'The renderer may import only the API contract, its schemas, the envelope and the bridge type from src/.',
            },
            { regex: '^(\\.\\./)+main/', message: 'The renderer must not import main/: use window.samsa.' },
            { regex: '^node:', message: 'The renderer runs in a browser sandbox: no Node modules.' },
          ],
        },
      ],
    },
  },
);
