import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES } from '../../server/src/engine/rules';

const ROOT = new URL('../../', import.meta.url);

test('every rule has its daemonsetLens.rules setting, with its default severity and description, in rule order', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  const configs = [pkg.contributes.configuration].flat();
  const rules = configs.map((c: { properties: Record<string, any> }) => c.properties['daemonsetLens.rules']).find(Boolean);
  assert.ok(rules, 'daemonsetLens.rules is declared');
  const props = rules.properties as Record<string, { default: string; markdownDescription: string; enum: string[] }>;
  assert.deepEqual(Object.keys(props), RULES.map((r) => r.id));
  for (const r of RULES) {
    assert.equal(props[r.id].default, r.defaultSeverity, r.id);
    assert.equal(props[r.id].markdownDescription, `\`${r.id}\`: ${r.description}`, r.id);
    assert.deepEqual(props[r.id].enum, ['error', 'warning', 'information', 'hint', 'off'], r.id);
  }
});

test('every rule has its row in the README rule table, in rule order', () => {
  const readme = readFileSync(new URL('README.md', ROOT), 'utf8');
  const rows = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|information|hint) \| (.*) \|$/gm)];
  assert.deepEqual(rows.map((m) => m[1]), RULES.map((r) => r.id));
  for (const [i, r] of RULES.entries()) {
    assert.equal(rows[i][2], r.defaultSeverity, r.id);
    // The README may say more than the one-line description.
    assert.ok(rows[i][3].startsWith(r.description.replace(/\.$/, '')), `${r.id}: ${rows[i][3]}`);
  }
});
