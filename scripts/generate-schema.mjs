// Generates schemas/daemonset.schema.json from the official Kubernetes 1.35 OpenAPI v3 specs
// kept in schemas/k8s-openapi/ (see the README there for their provenance).
//
//   node scripts/generate-schema.mjs            write schemas/daemonset.schema.json
//   node scripts/generate-schema.mjs --out F    write to F instead
//   node scripts/generate-schema.mjs --check    exit 1 when the committed file is stale
//
// The output is a draft-07 JSON schema for an apps/v1 DaemonSet holding only the definitions
// reachable from it, every `$ref` local (`#/definitions/<name>`), keys sorted, so the same specs
// always give the same bytes. OpenAPI quirks it smooths over:
//   - `allOf: [{ $ref }]` wrappers (how OpenAPI v3 attaches a description to a reference) become
//     a plain `$ref` with the description beside it;
//   - `oneOf` of bare types (IntOrString: integer | string, Quantity: string | number) and
//     `x-kubernetes-int-or-string` become a `type` list, which validates the same and reports
//     one clear error instead of one per branch;
//   - OpenAPI `nullable: true` adds "null" to the type;
//   - objects that list `properties` and say nothing of `additionalProperties` get
//     `additionalProperties: false`: with strict field validation (kubectl's default) the API
//     server rejects unknown fields, so a typo is an error (`x-kubernetes-preserve-unknown-fields`
//     keeps an object open); maps keep their `additionalProperties` schema;
//   - `x-kubernetes-*` extensions and OpenAPI-only keywords are dropped; `format` is kept
//     (int32, int64, int-or-string, date-time) and the engine gives it meaning.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SPEC_DIR = join(ROOT, 'schemas', 'k8s-openapi');
const SPEC_FILES = ['apis__apps__v1_openapi.json', 'api__v1_openapi.json'];
const DEFAULT_OUT = join(ROOT, 'schemas', 'daemonset.schema.json');
const ROOT_TYPE = 'io.k8s.api.apps.v1.DaemonSet';
const REF_PREFIX = '#/components/schemas/';

/** JSON-schema keywords carried over from OpenAPI; anything else (x-*, discriminator, …) is dropped. */
const KEPT = new Set([
  '$ref', 'additionalProperties', 'default', 'description', 'enum', 'exclusiveMaximum', 'exclusiveMinimum',
  'format', 'items', 'maxItems', 'maxLength', 'maxProperties', 'maximum', 'minItems', 'minLength',
  'minProperties', 'minimum', 'multipleOf', 'pattern', 'properties', 'required', 'title', 'type', 'uniqueItems',
  'allOf', 'anyOf', 'oneOf', 'not',
]);

/** Merges the specs' component schemas; a name defined twice must be defined identically. */
export function loadComponents(specDir = SPEC_DIR) {
  const components = new Map();
  for (const file of SPEC_FILES) {
    const spec = JSON.parse(readFileSync(join(specDir, file), 'utf8'));
    const schemas = spec?.components?.schemas;
    if (!schemas || typeof schemas !== 'object') throw new Error(`${file}: no components.schemas`);
    for (const [name, schema] of Object.entries(schemas)) {
      const seen = components.get(name);
      if (seen && JSON.stringify(seen) !== JSON.stringify(schema)) {
        throw new Error(`${name} is defined differently in two specs`);
      }
      if (!seen) components.set(name, schema);
    }
  }
  return components;
}

function refName(ref) {
  if (typeof ref !== 'string' || !ref.startsWith(REF_PREFIX)) throw new Error(`unsupported $ref ${JSON.stringify(ref)}`);
  return ref.slice(REF_PREFIX.length);
}

function isPlainObject(v) {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `[{type: 'integer'}, {type: 'string'}]` -> ['integer', 'string']; undefined unless every branch is a bare type. */
function bareTypes(branches) {
  if (!Array.isArray(branches) || branches.length === 0) return undefined;
  const types = [];
  for (const b of branches) {
    if (!isPlainObject(b) || typeof b.type !== 'string') return undefined;
    if (Object.keys(b).some((k) => k !== 'type' && k !== 'description')) return undefined;
    types.push(b.type);
  }
  return types;
}

/** Converts one OpenAPI schema object to JSON schema, collecting the names it references. */
function convert(schema, refs) {
  if (Array.isArray(schema)) return schema.map((s) => convert(s, refs));
  if (!isPlainObject(schema)) return schema;
  const s = { ...schema };

  // allOf: [{$ref}] is OpenAPI v3's way to put a description or default beside a reference.
  if (Array.isArray(s.allOf) && s.allOf.length === 1 && isPlainObject(s.allOf[0]) && Object.keys(s.allOf[0]).length === 1 && s.allOf[0].$ref) {
    s.$ref = s.allOf[0].$ref;
    delete s.allOf;
  }
  if (s['x-kubernetes-int-or-string'] === true) {
    s.type = ['integer', 'string'];
    delete s.oneOf;
    delete s.anyOf;
  }
  for (const key of ['oneOf', 'anyOf']) {
    const types = bareTypes(s[key]);
    if (types && s.type === undefined) {
      s.type = types;
      delete s[key];
    }
  }
  if (s.nullable === true && s.type !== undefined) {
    s.type = [...(Array.isArray(s.type) ? s.type : [s.type]), 'null'];
  }
  const open = s['x-kubernetes-preserve-unknown-fields'] === true;

  const out = {};
  for (const [key, value] of Object.entries(s)) {
    if (!KEPT.has(key)) continue;
    switch (key) {
      case '$ref': {
        const name = refName(value);
        refs.add(name);
        out.$ref = `#/definitions/${name}`;
        break;
      }
      case 'properties': {
        const props = {};
        for (const [p, ps] of Object.entries(value)) props[p] = convert(ps, refs);
        out.properties = props;
        break;
      }
      case 'items':
      case 'additionalProperties':
      case 'not':
        out[key] = typeof value === 'boolean' ? value : convert(value, refs);
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
        out[key] = value.map((b) => convert(b, refs));
        break;
      default:
        out[key] = value;
    }
  }
  if (out.properties && out.additionalProperties === undefined && !open) out.additionalProperties = false;
  if (open) delete out.additionalProperties;
  return out;
}

/** Sorts object keys recursively so the output depends only on the content. */
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isPlainObject(v)) return v;
  const out = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
  return out;
}

/** The schema document as text: only the definitions reachable from the DaemonSet, sorted. */
export function generate(specDir = SPEC_DIR) {
  const components = loadComponents(specDir);
  const definitions = {};
  const queue = [ROOT_TYPE];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const name = queue.shift();
    const schema = components.get(name);
    if (!schema) throw new Error(`${name} is referenced but not defined`);
    const refs = new Set();
    definitions[name] = convert(schema, refs);
    for (const r of refs) {
      if (!seen.has(r)) {
        seen.add(r);
        queue.push(r);
      }
    }
  }
  const doc = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kubernetes apps/v1 DaemonSet',
    description: `Generated by scripts/generate-schema.mjs from the Kubernetes 1.35 OpenAPI v3 specs in schemas/k8s-openapi (${SPEC_FILES.join(', ')}). Do not edit: run npm run schemas.`,
    $ref: `#/definitions/${ROOT_TYPE}`,
    definitions: sortKeys(definitions),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The command line of a generator of committed files (this one and generate-validator.ts):
 * `[--out FILE] [--check]`. Writes what `produce` returns to FILE (default `defaultOut`), or with
 * `--check` exits 1 when FILE differs from it. `describe` says what was written.
 */
export function runGenerator(argv, { script, defaultOut, produce, describe = (text) => `${text.length} bytes` }) {
  const outIdx = argv.indexOf('--out');
  const out = outIdx >= 0 ? argv[outIdx + 1] : defaultOut;
  if (!out) {
    console.error(`usage: ${script} [--out FILE] [--check]`);
    process.exit(2);
  }
  const text = produce();
  if (argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(out, 'utf8');
    } catch {
      // a missing file is stale
    }
    if (current !== text) {
      console.error(`${out} is not what the generator produces: run npm run schemas`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(out, text);
  console.log(`wrote ${out} (${describe(text)})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runGenerator(process.argv.slice(2), {
    script: 'generate-schema.mjs',
    defaultOut: DEFAULT_OUT,
    produce: () => generate(),
    describe: (text) => `${Object.keys(JSON.parse(text).definitions).length} definitions, ${text.length} bytes`,
  });
}
