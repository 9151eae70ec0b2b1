import { Lexer, Parser, type CST } from 'yaml';

/**
 * Quoted scalars as go-yaml reads them. kubectl (sigs.k8s.io/yaml over go-yaml) takes the
 * continuation lines of a single- or double-quoted scalar at any indentation: its scanner
 * (`yaml_parser_scan_flow_scalar`) stops a quoted scalar only at its closing quote, a document
 * marker at column 0 or the end of input. YAML 1.2 wants those lines indented deeper than the
 * mapping that holds the scalar, and the `yaml` package stops the scalar at the first line that is
 * not: "Missing closing quote", the rest of the value read as keys, and a DaemonSet with such a
 * description lost. Real manifests have it (controller-gen CRDs, wrapped annotations):
 *
 *   annotations:
 *     description: 'Runs the network agent
 *     on every node.'
 *
 * `goYamlTokens` lexes as go-yaml does for quoted scalars and as the `yaml` package does for
 * everything else; offsets are the same as in the text, so every node range stays true.
 */
export function goYamlTokens(text: string): CST.Token[] {
  const lexer = new Lexer();
  lenientQuotes(lexer);
  const parser = new Parser();
  const tokens: CST.Token[] = [];
  for (const lexeme of lexer.lex(text)) for (const t of parser.next(lexeme)) tokens.push(t);
  for (const t of parser.end()) tokens.push(t);
  return tokens;
}

/** Whether a parse error is the `yaml` package stopping a quoted scalar that go-yaml reads on (see above). */
export function isUnindentedQuoteError(err: { code: string; message: string }): boolean {
  return err.code === 'MISSING_CHAR' && /^Missing closing ["']?quote/.test(err.message);
}

/**
 * The parts of the `yaml` 2.x Lexer this relies on (tested against the pinned version:
 * test/unit/goYamlQuotes.test.ts). `continueScalar(offset)` returns where the next line of a
 * multi-line scalar starts, or -1 when the scalar ends before it.
 */
interface LexerInternals {
  buffer: string;
  continueScalar(offset: number): number;
  parseQuotedScalar(): Generator<string, unknown>;
}

function lenientQuotes(lexer: Lexer): void {
  const l = lexer as unknown as LexerInternals;
  const continueScalar = l.continueScalar.bind(l);
  const parseQuotedScalar = l.parseQuotedScalar.bind(l);
  let quoted = false;
  l.parseQuotedScalar = function* () {
    quoted = true;
    try {
      return yield* parseQuotedScalar();
    } finally {
      quoted = false;
    }
  };
  l.continueScalar = (offset: number) => {
    if (!quoted) return continueScalar(offset);
    // A document marker at column 0 ends the scalar, as in go-yaml; any other line continues it.
    const marker = l.buffer.slice(offset, offset + 3);
    if ((marker === '---' || marker === '...') && /^[\s]?$/.test(l.buffer.charAt(offset + 3))) return -1;
    let i = offset;
    while (l.buffer[i] === ' ' || l.buffer[i] === '\t') i++;
    return i;
  };
}
