/**
 * A result that knows its JSON, for answers kept serialised between requests (code actions). The
 * stdio writer (`stdio.ts`) puts `json` in the response as it is. Any other serialiser (Node's IPC
 * channel, the library's own writers, its tracing) calls `toJSON` and gets the value it stands for.
 * Each form is made only when asked for.
 */
export class SerializedResult<T> {
  constructor(
    private readonly write: () => string,
    private readonly build: () => T,
  ) {}

  get json(): string {
    return this.write();
  }

  toJSON(): T {
    return this.build();
  }
}
