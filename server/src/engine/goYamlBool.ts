import { stringify, type Tags } from 'yaml';
import { goYamlNumberTag } from './goYamlNumber';

/**
 * The booleans of YAML 1.1, as go-yaml v2 resolves them: kubectl and Helm turn YAML into JSON with
 * sigs.k8s.io/yaml over go-yaml v2, whose resolve table reads a plain `y`, `yes`, `on`, `n`, `no`
 * or `off` (in any of the spellings below) as a boolean, where YAML 1.2 reads a string. So
 * `hostNetwork: yes` is `true` to the API server, and a label value `enabled: yes` is a boolean it
 * rejects ("cannot unmarshal bool into Go struct field … of type string") unless quoted. The core
 * schema's own `true`/`false` spellings stay with its bool tag; this tag adds the others.
 */
const TRUE = /^(?:y|Y|yes|Yes|YES|on|On|ON)$/;

export const goYamlBoolTag = {
  identify: (value: unknown) => typeof value === 'boolean',
  default: true as const,
  tag: 'tag:yaml.org,2002:bool',
  test: /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/,
  resolve: (source: string) => TRUE.test(source),
  stringify: ({ value }: { value: unknown }) => (value ? 'true' : 'false'),
};

/**
 * The core schema's tags with go-yaml v2's scalars around them, as kubectl reads plain scalars: its
 * numbers before the core schema's int and float tags, its booleans after the core schema's own.
 */
export function withGoYamlScalars(tags: Tags): Tags {
  return [goYamlNumberTag, ...tags, goYamlBoolTag];
}

/**
 * `value` as YAML that kubectl reads back as the same value: a string `yes`, `on`, `n`… or one
 * go-yaml reads as a number (`0_644`, `0b101`, `-0x1F`: engine/goYamlNumber.ts), as a value or a
 * key, is quoted, as `yaml`'s core schema alone would not.
 */
export function stringifyForKubectl(value: unknown): string {
  return stringify(value, { lineWidth: 0, customTags: withGoYamlScalars });
}
