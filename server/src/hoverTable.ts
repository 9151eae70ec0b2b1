/**
 * A document version's prepared hovers by position (engine `preparedHovers`), for the hover handler:
 * a hover there is answered from the line and character of the request, without converting the
 * position to an offset or reaching the syntax tree. On a 1,000-DaemonSet file, what a hover reads
 * is cold in the CPU's caches each time, so reading less is what makes it fast.
 *
 * A position the table has no entry for is not known to have no hover: the engine answers it. The
 * table holds only hovers on one line, and finds a position only where `offsetAt` would not move it
 * (a character past the end of its line is clamped there, and then asked of the engine).
 */
import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { sameHoverInputs, type HoverResult } from './engine/hover';
import { firstAtLeast } from './engine/search';

export class HoverTable {
  private constructor(
    /** The document version the positions belong to. */
    readonly version: number,
    /** What the hovers depend on besides the document (engine `prepareHovers`), compared by identity. */
    readonly inputs: readonly unknown[],
    private readonly lines: Int32Array,
    private readonly from: Int32Array,
    private readonly to: Int32Array,
    private readonly texts: readonly string[],
  ) {}

  /** The table of `hovers` (in file order, as `preparedHovers` lists them) in this version of `doc`. */
  static build(doc: TextDocument, hovers: readonly HoverResult[], inputs: readonly unknown[]): HoverTable {
    const lines: number[] = [];
    const from: number[] = [];
    const to: number[] = [];
    const texts: string[] = [];
    // The hovers are in file order: one pass down the lines (a binary search per position would
    // cost several times as much on a file of 60,000 lines).
    let line = 0;
    const lineStart = (l: number) => doc.offsetAt({ line: l, character: 0 });
    for (const h of hovers) {
      while (line + 1 < doc.lineCount && lineStart(line + 1) <= h.span.start) line++;
      const start = lineStart(line);
      // Where offsetAt would not take the character back: from the line's start to the end of its text.
      const end = doc.offsetAt({ line, character: Number.MAX_SAFE_INTEGER });
      if (h.span.start < start || h.span.end > end) continue;
      lines.push(line);
      from.push(h.span.start - start);
      to.push(h.span.end - start);
      texts.push(h.markdown);
    }
    return new HoverTable(doc.version, inputs, Int32Array.from(lines), Int32Array.from(from), Int32Array.from(to), texts);
  }

  /** Whether the table was built for these inputs. */
  matches(inputs: readonly unknown[]): boolean {
    return sameHoverInputs(inputs, this.inputs);
  }

  /** The hover whose span holds `position` (its end included), with its range; undefined where the table has none. */
  at(position: Position): { markdown: string; range: Range } | undefined {
    const { lines, from, to } = this;
    const { line, character } = position;
    // The first entry on `line` or after it.
    for (let i = firstAtLeast(lines, line); i < lines.length && lines[i] === line && from[i] <= character; i++) {
      if (character <= to[i]) return { markdown: this.texts[i], range: { start: { line, character: from[i] }, end: { line, character: to[i] } } };
    }
    return undefined;
  }
}
