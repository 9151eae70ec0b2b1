import type { Rule } from './rule';
import { restartPolicyAlways } from './restartPolicyAlways';

/** Every rule, in reporting order. Add a rule here and nowhere else. */
export const RULES: readonly Rule[] = [
  restartPolicyAlways,
];

export type { Rule, RuleContext } from './rule';
