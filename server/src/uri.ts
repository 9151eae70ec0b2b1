/** file: URIs <-> paths, without Node imports (the runtime does the file I/O). */

/** The file system path of a file: URI, undefined for other schemes. */
export function uriToPath(uri: string): string | undefined {
  const m = /^file:\/\/([^/]*)(\/[^?#]*)/i.exec(uri);
  if (!m) return undefined;
  let path = decodeURIComponent(m[2]);
  // file:///c%3A/dir -> c:/dir on Windows
  if (/^\/[a-zA-Z]:/.test(path)) path = path.slice(1);
  return m[1] ? `//${m[1]}${path}` : path;
}

/** The file: URI of an absolute path, encoded as VS Code encodes it. */
export function pathToUri(path: string): string {
  let p = path.replace(/\\/g, '/');
  if (/^[a-zA-Z]:/.test(p)) p = `/${p[0].toLowerCase()}%3A${p.slice(2)}`;
  else if (!p.startsWith('/')) p = `/${p}`;
  const encoded = p.split('/').map((seg) => (seg.includes('%3A') ? seg : encodeURIComponent(seg))).join('/');
  return `file://${encoded}`;
}

/** Joins a path relative to a folder path; an absolute `rel` stays as it is. */
export function joinPath(folder: string, rel: string): string {
  if (rel.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(rel)) return rel.replace(/\\/g, '/');
  const parts = folder.replace(/\\/g, '/').replace(/\/+$/, '').split('/');
  for (const seg of rel.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.length > 1 && parts.pop();
    else parts.push(seg);
  }
  return parts.join('/') || '/';
}
