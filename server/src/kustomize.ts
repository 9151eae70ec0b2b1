/**
 * Which files a kustomization lists as patches, shared by the CLI and the language server: both
 * check such files as partial manifests (engine `ParseOptions.partial`). Pure: the adapters read the
 * files (the CLI through its `CliIO`, the server through its runtime and open documents).
 */
import { parse as parseYaml } from 'yaml';

/** File names kustomize reads as the kustomization of a folder, in the order it tries them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** A kustomization larger than this (bytes) is not read: it lists nothing. */
export const MAX_KUSTOMIZATION_SIZE = 1024 * 1024;

/** Whether a file name (no folder) is one kustomize reads as a kustomization. */
export function isKustomizationFile(name: string): boolean {
  return KUSTOMIZATION_FILES.includes(name);
}

/** Local patch files named by a kustomization (sigs.k8s.io/kustomize/api/types Kustomization). */
export function patchPaths(kustomization: unknown): string[] {
  if (typeof kustomization !== 'object' || kustomization === null) return [];
  const k = kustomization as Record<string, unknown>;
  const out: string[] = [];
  const add = (v: unknown) => {
    // Inline patches are multi-line strings; a path is one line.
    if (typeof v === 'string' && v.trim() && !v.includes('\n')) out.push(v.trim());
  };
  for (const key of ['patches', 'patchesJson6902']) {
    const list = k[key];
    if (Array.isArray(list)) for (const item of list) if (typeof item === 'object' && item !== null) add((item as Record<string, unknown>).path);
  }
  if (Array.isArray(k.patchesStrategicMerge)) for (const item of k.patchesStrategicMerge) add(item);
  return out;
}

/**
 * The patch paths of a kustomization's text, relative to its folder. Malformed YAML lists nothing
 * (kustomize would refuse it, and no file of the folder should be taken for a patch on its word).
 */
export function patchPathsOfText(text: string): string[] {
  try {
    return patchPaths(parseYaml(text, { maxAliasCount: 100 }));
  } catch {
    return [];
  }
}

/** How an adapter sees a file that may be a kustomization. */
export interface KustomizationReader {
  /** Its size in bytes; undefined when it is not a regular file that exists. */
  size(path: string): Promise<number | undefined>;
  /** Its text; undefined when it cannot be read. */
  read(path: string): Promise<string | undefined>;
}

/**
 * The patch files the kustomization of `folder` lists, as paths made by `join`. kustomize takes the
 * first of KUSTOMIZATION_FILES that exists, readable or not; one larger than MAX_KUSTOMIZATION_SIZE
 * is passed over. The names are looked up at once: the server waits for this before a file's first
 * diagnostics.
 */
export async function folderPatchPaths(folder: string, join: (folder: string, rel: string) => string, reader: KustomizationReader): Promise<string[]> {
  const paths = KUSTOMIZATION_FILES.map((name) => join(folder, name));
  const sizes = await Promise.all(paths.map((path) => reader.size(path)));
  const i = sizes.findIndex((size) => size !== undefined && size <= MAX_KUSTOMIZATION_SIZE);
  if (i < 0) return [];
  const text = await reader.read(paths[i]);
  return text === undefined ? [] : patchPathsOfText(text).map((p) => join(folder, p));
}
