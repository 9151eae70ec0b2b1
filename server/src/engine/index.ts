/** The engine's public surface: adapters (language server, CLI, preview) import from here only. */
export * from './types';
export * from './model';
export * from './ast';
export * from './validate';
export { RULES } from './rules';
export type { Rule, RuleContext } from './rules';
