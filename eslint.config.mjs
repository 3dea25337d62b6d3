// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const CONTEXTS = ['catalog', 'orders', 'rewards', 'payments', 'shipping', 'notifications'];

/**
 * docs/architecture.md §6: dependencies point inward, and one context never imports another context's code.
 * ESLint applies the last matching setting of a rule, so each layer's list repeats the cross-context patterns.
 */
const crossContext = (context) => {
  const others = CONTEXTS.filter((c) => c !== context).join('|');
  const message = 'Contexts meet only through the graph, HTTP and events (docs/architecture.md §6).';
  return [
    { regex: `^(\\.\\./)+(${others})(/|$)`, message },
    { regex: `(^|/)subgraphs/(${others})(/|$)`, message },
  ];
};
const domainPatterns = [
  { regex: '^(?!\\.)', message: 'Domain code imports no packages: no I/O, no framework (docs/architecture.md §6).' },
  { regex: '^\\.\\./(application|infrastructure|graphql|rest|templates)(/|$)', message: 'Domain code does not depend on outer layers.' },
  { regex: '^(\\.\\./)+lib/(?!ddd(/|$))', message: 'Domain code may use only lib/ddd from the shared kernel.' },
];
const applicationPatterns = [
  { regex: '^\\.\\./(infrastructure|graphql|rest|templates)(/|$)', message: 'Use cases depend on ports, not on adapters.' },
  {
    regex: '^(@aws-sdk|undici|undici-cache-redis|iovalkey|express|@apollo|graphql|prom-client|nodemailer)(/|$)',
    message: 'Use cases stay free of infrastructure and framework packages.',
  },
];
const templatePatterns = [
  { regex: '^\\.\\./(\\.\\./)?(application|infrastructure|graphql|rest)(/|$)', message: 'Templates render the domain; they call no use case and no adapter.' },
  { regex: '^(?!\\.)', message: 'Templates import no packages: they are pure functions of the domain.' },
  { regex: '^(\\.\\./)+lib/(?!ddd(/|$))', message: 'Templates may use only lib/ddd from the shared kernel.' },
];
const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

const layering = [
  ...CONTEXTS.flatMap((context) => [
    { files: [`subgraphs/${context}/**/*.ts`], rules: restrict(crossContext(context)) },
    {
      files: [`subgraphs/${context}/domain/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: restrict([...domainPatterns, ...crossContext(context)]),
    },
    {
      files: [`subgraphs/${context}/application/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: restrict([...applicationPatterns, ...crossContext(context)]),
    },
    {
      // Email templates (Notifications) present the domain: pure functions of it, no I/O and no adapters.
      files: [`subgraphs/${context}/templates/**/*.ts`],
      ignores: ['**/*.test.ts'],
      rules: restrict([...templatePatterns, ...crossContext(context)]),
    },
  ]),
  {
    files: ['lib/**/*.ts'],
    rules: restrict([{ regex: '^(\\.\\./)+(subgraphs|gateway|scripts|infra)(/|$)', message: 'The shared kernel depends on no service.' }]),
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'infra/cdk.out/**', '.data/**', 'coverage/**', '**/__generated__/**', 'bench/results/**', 'web/dist*/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: { sourceType: 'commonjs' },
  },
  ...layering,
  {
    // The storefront and GraphiQL run in browsers and import nothing of the server (they meet it over HTTP).
    files: ['web/src/**/*.{ts,tsx}', 'web/graphiql/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: restrict([{ regex: '^(\\.\\./)+(lib|gateway|subgraphs|scripts)(/|$)', message: 'Browser code reaches the server only through the graph.' }]),
  },
);
