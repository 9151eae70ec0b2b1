/**
 * What the server needs from its host, injected so that tests and other hosts can build their own
 * (json-language-features' RuntimeEnvironment). The Node entry (server.ts) builds the real one.
 */
export interface Disposable {
  dispose(): void;
}

export interface DirEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

export interface RuntimeEnvironment {
  file: {
    /** Reads a UTF-8 file by absolute path; `undefined` when it cannot be read. Never throws. */
    readFile(path: string): Promise<string | undefined>;
    /** Lists a directory; `[]` when it cannot be read. Never throws. */
    readDirectory(path: string): Promise<DirEntry[]>;
    /** Size in bytes of a regular file, `undefined` if it is not one. */
    fileSize(path: string): Promise<number | undefined>;
  };
  timer: {
    setImmediate(callback: () => void): Disposable;
    setTimeout(callback: () => void, ms: number): Disposable;
  };
  /** Milliseconds from an arbitrary origin, for measuring how long work takes. */
  now(): number;
  log: {
    info(message: string): void;
    error(message: string): void;
  };
  /**
   * A full garbage collection, where the host can force one: run when a large file was closed, so
   * that its memory is returned at once and the next large file is read into a compact heap.
   */
  collectGarbage?(): void;
}
