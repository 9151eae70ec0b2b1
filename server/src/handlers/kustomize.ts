/**
 * Kustomize patches in the editor, as the CLI reads them (cli/common.ts `KustomizePatches`): a file
 * listed as a patch in the kustomization of its folder is parsed as a partial manifest, whatever it
 * looks like. One lookup per folder, cached, read through the runtime (or the live text of an open
 * kustomization) and never awaited by requests: until it answers, a file is not a listed patch, and
 * the diagnostics (which do wait for it) are the only ones that cannot be wrong in between.
 *
 * A kustomization that changes (on disk, or as it is edited in the editor) is read again, and the open
 * documents of its folder whose patch status changed are re-validated.
 */
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { folderPatchPaths, isKustomizationFile } from '../kustomize';
import type { RuntimeEnvironment } from '../runtime';
import { joinPath, uriToPath } from '../uri';
import { runSafeVoid, type Handler } from './context';

interface Folder {
  /** Absolute paths of the files its kustomization lists as patches; undefined until first read. */
  patches?: ReadonlySet<string>;
  /** The read under way, if any. */
  loading?: Promise<void>;
  /** Bumped by every read: only the latest one is kept. */
  generation: number;
}

const NONE: ReadonlySet<string> = new Set();

/** The folder and name of a file: URI; undefined for other schemes. */
export function splitUri(uri: string): { folder: string; name: string; path: string } | undefined {
  const path = uriToPath(uri);
  if (!path) return undefined;
  const i = path.lastIndexOf('/');
  if (i < 0) return undefined;
  return { folder: i === 0 ? '/' : path.slice(0, i), name: path.slice(i + 1), path };
}

export class KustomizeIndex {
  private readonly folders = new Map<string, Folder>();

  /** `changed` gets the open documents whose patch status changed after a read. */
  constructor(
    private readonly runtime: RuntimeEnvironment,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly changed: (uris: string[]) => void,
  ) {}

  /** Whether the file is listed as a patch, as far as is known now; starts the lookup of its folder. */
  isPatch(uri: string): boolean {
    const where = splitUri(uri);
    if (!where) return false;
    return this.lookup(where.folder).patches?.has(where.path) ?? false;
  }

  /** Resolves once the kustomization of the file's folder has been read. Never rejects. */
  known(uri: string): Promise<void> {
    const where = splitUri(uri);
    if (!where) return Promise.resolve();
    return this.lookup(where.folder).loading ?? Promise.resolve();
  }

  /** The kustomization of this folder may have changed: read it again, if the folder is in use. */
  invalidate(folder: string): void {
    const f = this.folders.get(folder);
    if (f) this.load(folder, f);
  }

  /** Forgets a folder once no open document is in it. */
  release(folder: string): void {
    if (!this.documents.all().some((d) => splitUri(d.uri)?.folder === folder)) this.folders.delete(folder);
  }

  private lookup(folder: string): Folder {
    let f = this.folders.get(folder);
    if (!f) {
      f = { generation: 0 };
      this.folders.set(folder, f);
      this.load(folder, f);
    }
    return f;
  }

  private load(folder: string, f: Folder): void {
    const generation = ++f.generation;
    const loading = this.read(folder).then((patches) => {
      if (f.generation !== generation) return;
      f.loading = undefined;
      const before = f.patches ?? NONE;
      f.patches = patches;
      if (this.folders.get(folder) !== f) return;
      // Open documents of the folder that changed sides; on the first read, those that are patches
      // (a request may have seen them before the kustomization was read).
      const stale = this.documents.all().map((d) => d.uri).filter((uri) => {
        const where = splitUri(uri);
        return where?.folder === folder && before.has(where.path) !== patches.has(where.path);
      });
      if (stale.length > 0) this.changed(stale);
    }, (e: unknown) => {
      if (f.generation === generation) f.loading = undefined;
      this.runtime.log.error(`Error while reading the kustomization of ${folder}: ${e instanceof Error ? e.message : String(e)}`);
    });
    f.loading = loading;
  }

  /** The patches the folder's kustomization lists; none when it is missing, unreadable, too large or malformed. */
  private async read(folder: string): Promise<ReadonlySet<string>> {
    // An open kustomization's live text wins over the file on disk.
    const open = (path: string) => this.documents.all().find((d) => uriToPath(d.uri) === path);
    const patches = await folderPatchPaths(folder, joinPath, {
      size: async (path) => open(path)?.getText().length ?? this.runtime.file.fileSize(path),
      read: async (path) => open(path)?.getText() ?? this.runtime.file.readFile(path),
    });
    return patches.length ? new Set(patches) : NONE;
  }
}

/** Keeps the index fresh: kustomizations edited in the editor or changed on disk, folders no longer open. */
export const kustomizeHandler: Handler = {
  register(ctx) {
    const { documents, runtime } = ctx;
    const kustomizationFolder = (uri: string): string | undefined => {
      const where = splitUri(uri);
      return where && isKustomizationFile(where.name) ? where.folder : undefined;
    };
    // Opening a manifest starts the lookup of its folder before anything asks for its model.
    documents.onDidOpen((e) => runSafeVoid(runtime, () => ctx.isSupported(e.document) && ctx.kustomize.isPatch(e.document.uri), 'Error while reading a kustomization'));
    documents.onDidChangeContent((e) => {
      const folder = kustomizationFolder(e.document.uri);
      if (folder) runSafeVoid(runtime, () => ctx.kustomize.invalidate(folder), 'Error while reading a kustomization');
    });
    documents.onDidClose((e) => runSafeVoid(runtime, () => {
      const where = splitUri(e.document.uri);
      if (!where) return;
      // Unsaved edits of a kustomization are discarded with the editor: back to the file on disk.
      if (isKustomizationFile(where.name)) ctx.kustomize.invalidate(where.folder);
      ctx.kustomize.release(where.folder);
    }, 'Error while reading a kustomization'));
    ctx.onWatchedFilesChanged((params) => runSafeVoid(runtime, () => {
      const folders = new Set<string>();
      for (const c of params.changes) {
        const folder = kustomizationFolder(c.uri);
        if (folder) folders.add(folder);
      }
      for (const folder of folders) ctx.kustomize.invalidate(folder);
    }, 'Error while handling kustomization changes'));
  },
};
