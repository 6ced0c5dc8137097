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
  // Folders say where code runs, and each may import only what its process
  // loads: shared/ (every process; pure), electron/ (the app's main process),
  // renderer/ (the sandboxed page), tunnel-helper/src/helper/ (the root
  // service), tunnel-helper/src/engine/ (one engine process a tunnel).
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'shared/ runs in every process, the renderer included.' }],
        patterns: [
          { group: ['node:*', 'fs', 'os', 'net', 'path', 'child_process', 'crypto', 'koffi'], message: 'shared/ is pure: the renderer imports it too.' },
          { group: ['**/electron/**', '**/renderer/**', '**/tunnel-helper/**'], message: 'shared/ depends on nothing outside shared/.' },
        ],
      }],
    },
  },
  // The renderer is a sandboxed web page: no Node, no Electron, only window.ipc and shared/.
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/e2e/bridge/bridge-preload.ts'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly', navigator: 'readonly', fetch: 'readonly', EventSource: 'readonly', btoa: 'readonly', File: 'readonly', HTMLElement: 'readonly', MessageEvent: 'readonly' } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer has no Electron access; it talks to main through window.ipc.' }],
        patterns: [
          { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'net', 'crypto'], message: 'The renderer has no Node access; ask main through window.ipc.' },
          { group: ['**/electron/**', '**/tunnel-helper/**'], message: 'The renderer imports only shared/ and talks to main through the IPC schema.' },
        ],
      }],
    },
  },
  // app-core is the whole main process without Electron, so it runs under node:test and the e2e bridge.
  // Neither it nor the adapters load the root helper's or the engine's code: they reach them over the control socket.
  {
    files: ['electron/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/tunnel-helper/src/helper/**', '**/tunnel-helper/src/engine/**', '**/tunnel-helper/src/cli/**', '**/renderer/**'], message: 'The app reaches the helper over the control socket; it loads only shared/, install/ and demo/.' }] }] },
  },
  {
    files: ['electron/app-core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'app-core must not depend on Electron; add a port in ports.ts and implement it in adapters/.' }], patterns: [{ group: ['**/adapters/**'], message: 'app-core must not depend on the Electron adapters.' }, { group: ['**/tunnel-helper/src/helper/**', '**/tunnel-helper/src/engine/**', '**/tunnel-helper/src/cli/**', '**/renderer/**'], message: 'The app reaches the helper over the control socket; it loads only shared/, install/ and demo/.' }] }] },
  },
  // The root helper drives engines through their UAPI socket, never their internals.
  {
    files: ['tunnel-helper/src/helper/**/*.ts', 'tunnel-helper/src/install/**/*.ts', 'tunnel-helper/src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: ['**/engine/core/**', '**/engine/device*', '**/engine/data-path*', '**/engine/crypto-*', '**/engine/action-runner*', '**/engine/allowed-ips*'], message: 'The helper and the CLI reach an engine through its UAPI socket (engine/uapi/client.ts), not its internals.' }, { group: ['**/electron/**', '**/renderer/**'], message: 'The helper never loads the app.' }] }] },
  },
  {
    files: ['tunnel-helper/src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['electron'], patterns: [{ group: ['**/helper/**', '**/cli/**', '**/install/**', '**/electron/**', '**/renderer/**'], message: 'The engine is its own process: it knows only shared/ and itself.' }] }] },
  },
  // The protocol core stays pure: no node:*, no I/O seams, no clock, no randomness.
  {
    files: ['tunnel-helper/src/engine/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*', 'fs', 'net', 'dgram', 'os', 'child_process', 'crypto'], message: 'core/ is sans-I/O: inject what it needs.' },
          { group: ['../*.js', '**/io/**', '**/uapi/**', '**/helper/**', 'electron', 'koffi'], message: 'core/ must not depend on I/O layers or the engine around it.' },
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
);
