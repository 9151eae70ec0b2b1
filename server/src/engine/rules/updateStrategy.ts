import { keySpan, valueSpan } from '../ast';
import { replaceScalar } from '../edits';
import { UPDATE_STRATEGY, ROLLING_UPDATE, defaultedStrategy } from '../daemonSetDefaults';
import { GoValue, findingAt, spanAt } from '../metaValidation';
import { supportedValues } from '../fieldErrors';
import { closestName } from '../schema';
import type { Finding, Fix } from '../types';
import type { Rule } from './rule';

const TYPES = ['RollingUpdate', 'OnDelete'];

/**
 * pkg/apis/apps/validation/validation.go ValidateDaemonSetUpdateStrategy, after
 * SetDefaults_DaemonSet:
 *   OnDelete: nothing checked (a rollingUpdate block is accepted and ignored);
 *   RollingUpdate: rollingUpdate must not be nil (never fires on apps/v1: defaulting creates it),
 *     then ValidateRollingUpdateDaemonSet (rule rolling-update-values);
 *   anything else: field.NotSupported(fldPath, strategy, ["RollingUpdate", "OnDelete"]), on
 *     `spec.updateStrategy` with the whole internal struct printed by %#v.
 * A rollingUpdate block under OnDelete is reported as a warning: the server keeps it but the
 * controller never reads it.
 */
export const updateStrategy: Rule = {
  id: 'update-strategy',
  description: 'spec.updateStrategy.type must be RollingUpdate or OnDelete; rollingUpdate only applies to RollingUpdate.',
  help: 'Upstream ValidateDaemonSetUpdateStrategy accepts only `RollingUpdate` (the default) and `OnDelete`. With `OnDelete` the controller replaces a pod only when you delete it, and a `rollingUpdate` block is ignored.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const s = defaultedStrategy(ds);
    if (!s) return [];
    const typePath = [...UPDATE_STRATEGY, 'type'];
    if (!TYPES.includes(s.type)) {
      const rollingUpdate = s.rollingUpdateGiven ? '(*apps.RollingUpdateDaemonSet)(0xc000…)' : '(*apps.RollingUpdateDaemonSet)(nil)';
      const badValue = new GoValue(`apps.DaemonSetUpdateStrategy{Type:${JSON.stringify(s.type)}, RollingUpdate:${rollingUpdate}}`);
      const span = valueSpan(ds, typePath) ?? spanAt(ds, [...UPDATE_STRATEGY]);
      const f = findingAt(updateStrategy, ds, [...UPDATE_STRATEGY], span, 'NotSupported', supportedValues(TYPES), badValue);
      const closest = closestName(s.type, TYPES) ?? (s.type.length >= 3 ? TYPES.find((t) => t.toLowerCase().startsWith(s.type.toLowerCase())) : undefined);
      const order = closest ? [closest, ...TYPES.filter((t) => t !== closest)] : TYPES;
      const fixes = order.map((t, i): Fix => ({ title: `Set type: ${t}`, edits: replaceScalar(ctx.model.text, ds, typePath, t), isPreferred: i === 0 && !!closest }));
      if (fixes.every((x) => x.edits.length)) f.fixes = fixes;
      return [f];
    }
    const out: Finding[] = [];
    if (s.type === 'OnDelete' && s.rollingUpdateGiven) {
      out.push({
        code: updateStrategy.id,
        severity: 'warning',
        message: '`rollingUpdate` is ignored when the update strategy type is OnDelete: pods are replaced only when you delete them.',
        path: 'spec.updateStrategy.rollingUpdate',
        span: keySpan(ds, [...ROLLING_UPDATE]) ?? spanAt(ds, [...ROLLING_UPDATE]),
        unnecessary: true,
      });
    }
    return out;
  },
};
