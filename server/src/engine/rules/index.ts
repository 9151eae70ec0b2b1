import type { Rule } from './rule';
import { restartPolicyAlways } from './restartPolicyAlways';
import { missingNetworkUnavailableToleration } from './missingNetworkUnavailableToleration';
import { missingControlPlaneToleration } from './missingControlPlaneToleration';

/** Every rule, in reporting order. Add a rule here and nowhere else. */
export const RULES: readonly Rule[] = [
  restartPolicyAlways,
  missingNetworkUnavailableToleration,
  missingControlPlaneToleration,
];

export type { Rule, RuleContext } from './rule';
