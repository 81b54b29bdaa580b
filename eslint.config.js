// eslint.config.js — lint rules for the web UI (ui/js, browser ES modules)
// and the tests (tests/, Node; browser tests also run callbacks in the page).
// Formatting is prettier's job (.prettierrc); scripts/check-js.sh runs both.
import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['node_modules/', 'build/', 'build-*/', 'test-results/', 'bench/out/'] },
  js.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2024, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `catch {}` blocks and `_` arguments are the usual ways to say "unused on purpose".
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-var': 'error',
      'prefer-const': 'error',
      // Chinese text uses the ideographic space (U+3000) on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipComments: true }],
    },
  },
  { files: ['ui/js/**/*.js'], languageOptions: { globals: globals.browser } },
  // Browser tests pass functions to page.evaluate(), which run in the page.
  { files: ['tests/**/*.js', 'eslint.config.js'], languageOptions: { globals: globals.node } },
  { files: ['tests/browser/**/*.js'], languageOptions: { globals: { ...globals.node, ...globals.browser } } },
];
