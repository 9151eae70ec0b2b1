import { keySpan, valueAt } from '../ast';
import { firstValueSpan, isRecord, POD_SPEC, str } from '../podTemplate';
import type { Finding } from '../types';
import { apiFinding, type Rule } from './rule';
import { unsupportedValue } from './unsupportedValue';

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/**
 * pkg/apis/core/validation/validation.go ValidateTolerations and validateTaintEffect: a
 * non-empty effect is NoSchedule, PreferNoSchedule or NoExecute; `tolerationSeconds` needs
 * `effect: NoExecute` (an empty effect fails too).
 */
export const tolerationEffect: Rule = {
  id: 'toleration-effect',
  description: 'A toleration effect must be NoSchedule, PreferNoSchedule or NoExecute; tolerationSeconds needs NoExecute.',
  help: 'Upstream validateTaintEffect rejects any other non-empty effect with `supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"` (an empty effect matches every effect). ValidateTolerations also rejects `tolerationSeconds` unless `effect` is NoExecute, reporting it on `.effect`.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const out: Finding[] = [];
    const tolerations = valueAt(ds, [...POD_SPEC, 'tolerations']);
    if (!Array.isArray(tolerations)) return out;
    tolerations.forEach((t, i) => {
      if (!isRecord(t)) return;
      const base = [...POD_SPEC, 'tolerations', i];
      const effectPath = [...base, 'effect'];
      const effect = str(t.effect);
      if (effect === undefined) return;
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
        const f = apiFinding(tolerationEffect, ds, effectPath, 'Invalid', "effect must be 'NoExecute' when `tolerationSeconds` is set", effect, 'value');
        f.span = firstValueSpan(ds, effectPath) ?? keySpan(ds, [...base, 'tolerationSeconds']) ?? f.span;
        out.push(f);
      }
      if (effect.length > 0 && !EFFECTS.includes(effect)) {
        out.push(unsupportedValue(tolerationEffect, ds, ctx, effectPath, effect, EFFECTS));
      }
    });
    return out;
  },
};
