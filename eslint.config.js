// Lint: typescript-eslint's recommended rules plus the type-aware checks that catch what the
// compiler lets through — a promise nobody awaits, a switch that forgets a case — and files kept
// under 400 lines (README "Layout": split a longer one along a seam a reader knows).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config({ ignores: ['dist/**', 'node_modules/**', 'src/cli/bin.js'] }, js.configs.recommended, ...tseslint.configs.recommended, {
  files: ['**/*.ts'],
  languageOptions: {
    parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    globals: { ...globals.browser, ...globals.node },
  },
  rules: {
    '@typescript-eslint/no-floating-promises': 'error',
    '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    'max-lines': ['error', { max: 400 }],
  },
});
