// Lint: TypeScript rules plus the architecture of DESIGN §3 (imports point one way; engine, dmn, expressions stay pure).
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const zone = (target, from, message) => ({ target, from, message });

const BROWSER_GLOBALS = ['window', 'document', 'location', 'history', 'navigator', 'console', 'fetch', 'FormData', 'Blob', 'File', 'URL', 'URLSearchParams', 'sessionStorage', 'localStorage', 'TextEncoder', 'btoa', 'atob', 'DOMParser', 'Node', 'Event', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'requestAnimationFrame', 'performance', 'CSS', 'HTMLElement', 'KeyboardEvent', 'MouseEvent', 'AbortController', 'confirm', 'alert'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.scratch/**', 'web-modeler/dist/**', 'data/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'import/no-default-export': 'error',
      'import/no-cycle': 'error',
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            zone('./src/core', './src/!(core)/**', 'core imports nothing internal'),
            zone('./src/expressions', './src/!(core|expressions)/**', 'expressions is pure: core only'),
            zone('./src/dmn', './src/!(core|expressions|dmn)/**', 'dmn is pure: core and expressions only'),
            zone('./src/engine', './src/!(core|expressions|dmn|engine)/**', 'engine is pure: no persistence, services or server'),
            zone('./src/persistence', './src/!(core|persistence|telemetry)/**', 'persistence imports core and telemetry only'),
            zone('./src/services', './src/!(core|engine|dmn|expressions|persistence|services|telemetry)/**', 'services sit below server, jobs and kafka'),
            zone('./src/server', './src/@(config|jobs|kafka|persistence|engine|dmn)/**', 'server talks to services only (DESIGN §3)'),
            zone('./src/kafka', './src/@(config|jobs|persistence|engine|dmn|expressions)/**', 'kafka talks to services; it shares only the REST DTOs with server'),
            zone('./src/kafka', './src/server/!(dtos)/**', 'kafka shares only the REST DTOs with server'),
            zone('./src/worker', './src/!(core|worker)/**', 'the worker SDK is a client: core only'),
            zone('./src/!(main.ts)', './src/main.ts', 'nothing imports the composition root'),
            zone('./src/!(cli|config|main.ts)/**', './src/config', 'only main and the command-line tools read configuration'),
          ],
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'express', message: 'HTTP lives in src/server only' },
            { name: 'knex', message: 'SQL lives in src/persistence only' },
            { name: 'pg', message: 'SQL lives in src/persistence only' },
          ],
        },
      ],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config/load-config.ts' }],
    },
  },
  {
    files: ['src/persistence/**/*.ts', 'migrations/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'knex', message: 'SQL lives in src/persistence only' }, { name: 'pg', message: 'SQL lives in src/persistence only' }] }] },
  },
  {
    // Services own transactions, so they may name knex's transaction type (types only, never queries).
    files: ['src/services/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'express', message: 'HTTP lives in src/server only' }, { name: 'pg', message: 'SQL lives in src/persistence only' }, { name: 'knex', allowTypeImports: true, message: 'services may use knex types only' }] }] },
  },
  {
    files: ['src/config/**/*.ts', 'src/main.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**', 'migrations/**/*.ts', 'examples/**/*.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-properties': 'off', '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    rules: { 'import/no-default-export': 'off' },
  },
  {
    // The browser app: plain ESM bundled by esbuild; only these browser globals exist for it.
    files: ['web-modeler/src/**/*.js'],
    languageOptions: { sourceType: 'module', globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])) },
    rules: { 'no-undef': 'error' },
  },
);
