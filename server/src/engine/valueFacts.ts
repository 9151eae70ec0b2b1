/**
 * What one walk over an object's plain data finds, remembered per object: the model asks whether
 * it is a patch (a `$patch` key), schema validation whether it must be copied first (a null map
 * entry, which the API server reads as unset, or an alias that contains itself).
 */
export interface ValueFacts {
  /** A `$patch` key anywhere (a Kustomize strategic-merge directive). */
  patchDirective: boolean;
  /** A map entry whose value is null (`field:` or `field: null`). */
  nullEntry: boolean;
  /** An object that contains itself (`spec: &a {x: *a}`). */
  recursive: boolean;
}

const memo = new WeakMap<object, ValueFacts>();

export function valueFacts(value: Record<string, unknown>): ValueFacts {
  let facts = memo.get(value);
  if (!facts) {
    facts = { patchDirective: false, nullEntry: false, recursive: false };
    walk(value, [], facts);
    memo.set(value, facts);
  }
  return facts;
}

/**
 * `ancestors` is the path from the root: a manifest is a dozen levels deep, so a scan of it is
 * cheaper than a set of every object. Stops once all three are found.
 */
function walk(v: object, ancestors: object[], facts: ValueFacts): boolean {
  if (ancestors.includes(v)) {
    facts.recursive = true;
    return done(facts);
  }
  ancestors.push(v);
  let stop = false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && !stop; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object') stop = walk(x, ancestors, facts);
    }
  } else {
    for (const k in v) {
      if (k === '$patch' && !facts.patchDirective) {
        facts.patchDirective = true;
        if (done(facts)) { stop = true; break; }
      }
      const x = (v as Record<string, unknown>)[k];
      if (x === null || x === undefined) {
        if (!facts.nullEntry) {
          facts.nullEntry = true;
          if (done(facts)) { stop = true; break; }
        }
      } else if (typeof x === 'object' && walk(x, ancestors, facts)) {
        stop = true;
        break;
      }
    }
  }
  ancestors.pop();
  return stop;
}

const done = (f: ValueFacts): boolean => f.patchDirective && f.nullEntry && f.recursive;
