/** Types of scripts/generate-schema.mjs for the tests that import it. */
export function loadComponents(specDir?: string): Map<string, unknown>;
export function generate(specDir?: string): string;
