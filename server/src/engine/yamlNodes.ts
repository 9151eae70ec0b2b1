/**
 * yaml's node predicates, read once. The bundles load `yaml` as CommonJS, and esbuild's interop then
 * reads every named import through a getter on each call; in the per-node loops of the rules
 * (ast.ts, edits.ts, schema.ts) the getter cost more than the predicate itself.
 */
import * as yaml from 'yaml';

export const { isAlias, isMap, isPair, isScalar, isSeq } = yaml;
