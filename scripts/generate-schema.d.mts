/** Types of scripts/generate-schema.mjs for the tests that import it. */
export function loadComponents(specDir?: string): Map<string, unknown>;
export function generate(specDir?: string): string;
export function runGenerator(
  argv: string[],
  options: { script: string; defaultOut: string; produce: () => string; describe?: (text: string) => string },
): void;
