// One lint for the whole tree. The rule that matters most: the protocol core
// stays pure (no node:*, no I/O seams, no Electron), so it can be tested with
// an injected clock and crypto, and reused anywhere.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'out/**', 'renderer/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['tunnel-helper/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'dgram', 'os', 'child_process', 'crypto'], message: 'core/ is sans-I/O: inject what it needs.' },
          { group: ['**/io/**', '**/engine/**', '**/netconfig/**', '**/uapi/**', '**/control/**', 'electron', 'koffi'], message: 'core/ must not depend on I/O layers.' },
        ],
      }],
      'no-restricted-globals': ['error',
        { name: 'Date', message: 'core/ takes `now` as an argument.' },
        { name: 'performance', message: 'core/ takes `now` as an argument.' },
        { name: 'setTimeout', message: 'core/ has no timers: return deadlines.' },
        { name: 'setInterval', message: 'core/ has no timers: return deadlines.' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'core/ gets randomness from the injected Crypto.' }],
    },
  },
  {
    files: ['tunnel-helper/src/config/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', 'fs', 'os', 'child_process', 'koffi'], message: 'config/ is pure: the renderer imports it too.' }] }],
    },
  },
  // The renderer is a sandboxed web page: no Node, no Electron, only window.ipc.
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/e2e/bridge/bridge-preload.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', fetch: 'readonly', EventSource: 'readonly', btoa: 'readonly', File: 'readonly', HTMLElement: 'readonly', MessageEvent: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer has no Electron access; it talks to main through window.ipc.' }],
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'crypto'], message: 'The renderer has no Node access; ask main through window.ipc.' },
          { group: ['**/electron/app-core/**', '**/electron/adapters/**', '**/tunnel-helper/src/control/**', '**/tunnel-helper/src/netconfig/**'], message: 'The renderer talks to main only through the IPC schema.' },
        ],
      }],
    },
  },
  // Shared by main and renderer: pure, no Node, no Electron.
  {
    files: ['electron/ipc/**/*.ts', 'electron/common/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: ['node:*', 'fs', 'path', 'os'], message: 'ipc/ and common/ are shared with the renderer: keep them pure.' }] }] },
  },
  // app-core is the whole main process without Electron, so it runs under node:test and the e2e bridge.
  {
    files: ['electron/app-core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'app-core must not depend on Electron; add a port in ports.ts and implement it in adapters/.' }], patterns: [{ group: ['**/adapters/**'], message: 'app-core must not depend on the Electron adapters.' }] }] },
  },
);
