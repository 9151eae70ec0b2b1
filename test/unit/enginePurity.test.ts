/**
 * The engine stays pure: it imports only yaml, ajv (in schemaCompile.ts, for the generator and the
 * tests; the engine runs the generated validator), the generated schema and itself (STYLE: layering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ENGINE = join(__dirname, '..', '..', 'server', 'src', 'engine');
const ALLOWED = new Set(['yaml', 'ajv', 'ajv/dist/standalone']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

test('engine modules import only yaml, ajv, the schema and each other', () => {
  const bad: string[] = [];
  for (const file of sources(ENGINE)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
      const ok = ALLOWED.has(spec) || (spec.startsWith('.') && (!spec.endsWith('.json') || /schemas\/daemonset\.schema\.json$/.test(spec)));
      if (!ok) bad.push(`${relative(ENGINE, file)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the check itself catches a forbidden import', () => {
  const re = /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s+['"]([^'"]+)['"]/g;
  const found = [...'import { readFileSync } from \'node:fs\';\nimport * as vscode from "vscode";'.matchAll(re)].map((m) => m[1]);
  assert.deepEqual(found, ['node:fs', 'vscode']);
});
