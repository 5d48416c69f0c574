// ESLint over the field app (static/) and its unit tests (tests/js): the
// recommended rules, with the globals each kind of file really has.
import js from '@eslint/js';
import globals from 'globals';

export default [
  js.configs.recommended,
  {
    // The app's ES modules, served as they are (no bundler).
    files: ['static/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
  },
  {
    // The device benchmark's in-page half (bench/device.py serves it to the app's page).
    files: ['bench/**/*.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: globals.browser },
  },
  {
    // The service worker is a classic script (registered without type: 'module').
    files: ['static/sw.js'],
    languageOptions: { sourceType: 'script', globals: globals.serviceworker },
  },
  {
    // Node's test runner; fake-indexeddb/auto puts indexedDB on globalThis.
    files: ['tests/js/**/*.mjs', 'eslint.config.js'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module', globals: { ...globals.node, indexedDB: 'readonly' } },
  },
];
