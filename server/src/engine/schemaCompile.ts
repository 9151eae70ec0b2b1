/**
 * ajv in the dialect of the generated schema (options and formats), for the two places that compile
 * a schema: `scripts/generate-validator.ts`, which writes the DaemonSet validator once as standalone
 * code (`schemas/daemonset.validator.js`, what `schema.ts` runs), and tests that compile a schema of
 * their own. Compiling the DaemonSet schema takes about half a second; the server and the CLI load
 * the generated code instead, and do not bundle ajv.
 */
import Ajv, { _, type ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { DESCRIPTIVE_FORMATS, INT_FORMATS } from './schemaFormats';

/**
 * All errors (a file shows every problem at once), with the schema each came from (`verbose`:
 * an unknown field's suggestions read the properties of its parent schema). Not strict: the OpenAPI
 * specs carry keywords and formats ajv does not know, and the generated document is not checked
 * against the meta-schema at run time (its generator's tests do that).
 */
const OPTIONS = { allErrors: true, verbose: true, strict: false, validateSchema: false } as const;

function newAjv(source: boolean): Ajv {
  // In standalone code, a format is the code that defines it: the same range check, written out.
  const defs = Object.entries(INT_FORMATS).map(([name, f]) => _`${name}: { type: "number", validate: (n) => Number.isInteger(n) && n >= ${f.min} && n <= ${f.max} }`);
  const formats = _`{ ${defs.reduce((all, d) => _`${all}, ${d}`)} }`;
  const ajv = new Ajv({ ...OPTIONS, ...(source ? { code: { source: true, formats } } : {}) });
  for (const [name, f] of Object.entries(INT_FORMATS)) {
    ajv.addFormat(name, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= f.min && n <= f.max });
  }
  for (const name of DESCRIPTIVE_FORMATS) ajv.addFormat(name, true);
  return ajv;
}

/** A validator for `schema`, compiled now. */
export function compileSchema(schema: object): ValidateFunction {
  return newAjv(false).compile(schema);
}

/** A CommonJS module whose export is the validator of `schema`, as `compileSchema` would compile it. */
export function validatorModule(schema: object): string {
  const ajv = newAjv(true);
  return standaloneCode(ajv, ajv.compile(schema));
}
