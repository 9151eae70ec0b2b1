import { valueAt } from '../ast';
import { replaceScalar } from '../edits';
import { supportedValues } from '../fieldErrors';
import { apiFinding, type Rule } from './rule';

const PATH = ['spec', 'template', 'spec', 'restartPolicy'];

/** pkg/apis/apps/validation/validation.go ValidateDaemonSetSpec: template restartPolicy must be Always. */
export const restartPolicyAlways: Rule = {
  id: 'restart-policy-always',
  description: 'A DaemonSet pod template must use restartPolicy: Always.',
  help: 'Upstream ValidateDaemonSetSpec rejects any other restartPolicy with `Unsupported value: …: supported values: "Always"`. Remove the field (it defaults to Always) or set it to Always.',
  defaultSeverity: 'error',
  check(ds, ctx) {
    const v = valueAt(ds, PATH);
    // A non-string never reaches validation (the decoder rejects it): the schema reports the type.
    // "" is defaulted to Always (SetDefaults_PodSpec).
    if (typeof v !== 'string' || v === '' || v === 'Always') return [];
    const f = apiFinding(this, ds, PATH, 'NotSupported', supportedValues(['Always']), v, 'value');
    // Written as the value was (quoted, or a JSON string in a JSON manifest).
    const edits = replaceScalar(ctx.model.text, ds, PATH, 'Always');
    if (edits.length) f.fixes = [{ title: 'Set restartPolicy: Always', edits, isPreferred: true }];
    return [f];
  },
};
