/** The preview's verdict badges are readable (WCAG AA, 4.5:1 for small text) in VS Code's default themes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CSS = readFileSync(join(__dirname, '../../client/media/preview.css'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');

/** The defaults of the theme colors the badges use, in VS Code's Light Modern and Dark Modern themes. */
const THEMES: Record<string, Record<string, string>> = {
  'vscode-light': { 'testing-iconPassed': '#388a34', 'editorWarning-foreground': '#bf8803', 'editorError-foreground': '#e51400', 'editor-background': '#ffffff', 'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b' },
  'vscode-dark': { 'testing-iconPassed': '#73c991', 'editorWarning-foreground': '#cca700', 'editorError-foreground': '#f14c4c', 'editor-background': '#1f1f1f', 'badge-background': '#616161', 'badge-foreground': '#f8f8f8' },
};

/** The value of `prop` for `.badge-<kind>` in a body of class `theme`: the last rule that applies wins (same specificity order as the file). */
function declared(kind: string, prop: 'color' | 'background', theme: string): string {
  let value: string | undefined;
  for (const m of CSS.matchAll(/([^{}]+)\{([^}]*)\}/g)) {
    const selectors = m[1].split(',').map((x) => x.trim());
    if (!selectors.some((s) => s === `.badge-${kind}` || s === `body.${theme} .badge-${kind}`)) continue;
    const d = new RegExp(`(?:^|;)\\s*${prop}\\s*:\\s*([^;]+)`).exec(m[2]);
    if (d) value = d[1].trim();
  }
  assert.ok(value, `${prop} of .badge-${kind}`);
  return resolve(value, theme);
}

function resolve(value: string, theme: string): string {
  const v = /^var\(--vscode-([\w-]+)(?:,\s*(.+))?\)$/.exec(value);
  if (!v) return value;
  return THEMES[theme][v[1]] ?? resolve(v[2] ?? '', theme);
}

function luminance(hex: string): number {
  const full = hex.length === 4 ? `#${[...hex.slice(1)].map((c) => c + c).join('')}` : hex;
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test('verdict badges have at least 4.5:1 contrast in the default light and dark themes', () => {
  for (const theme of Object.keys(THEMES)) {
    for (const kind of ['runs', 'pending', 'rejected', 'refused', 'excluded']) {
      const ratio = contrast(declared(kind, 'color', theme), declared(kind, 'background', theme));
      assert.ok(ratio >= 4.5, `${kind} in ${theme}: ${ratio.toFixed(2)}:1`);
    }
  }
});
