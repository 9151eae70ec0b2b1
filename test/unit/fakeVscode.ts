/**
 * The part of the `vscode` API the placement preview panel uses, in memory, so the panel runs under
 * node's test runner: `installFakeVscode()` makes `require('vscode')` return it.
 */
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class Emitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}

export class Uri {
  private constructor(readonly scheme: string, readonly path: string) {}
  static parse(s: string): Uri {
    const m = /^([a-z-]+):(?:\/\/)?(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2].startsWith('/') ? m[2] : `/${m[2]}`) : new Uri('file', s);
  }
  static joinPath(u: Uri, ...parts: string[]): Uri {
    return new Uri(u.scheme, [u.path, ...parts].join('/'));
  }
  toString(): string {
    return this.scheme === 'untitled' ? `untitled:${this.path.slice(1)}` : `${this.scheme}://${this.path}`;
  }
}

export interface FakeDocument {
  uri: Uri;
  languageId: string;
  version: number;
}

export function doc(uri: string, languageId = 'yaml'): FakeDocument {
  return { uri: Uri.parse(uri), languageId, version: 1 };
}

export function editor(d: FakeDocument) {
  return { document: d, selection: { active: { line: 0, character: 0 } }, viewColumn: 1 };
}

export function fakePanel() {
  const messages = new Emitter<unknown>();
  const disposed = new Emitter<void>();
  const viewState = new Emitter<unknown>();
  const posted: unknown[] = [];
  return {
    title: '',
    visible: true,
    viewColumn: 2,
    posted,
    receive: (m: unknown) => messages.fire(m),
    webview: {
      html: '',
      options: {},
      cspSource: 'vscode-resource:',
      asWebviewUri: (u: Uri) => u,
      onDidReceiveMessage: messages.event,
      postMessage: async (m: unknown) => {
        posted.push(m);
        return true;
      },
    },
    onDidDispose: disposed.event,
    onDidChangeViewState: viewState.event,
    reveal() {},
    dispose() {
      disposed.fire();
    },
  };
}

export function createFakeVscode() {
  const activeEditor = new Emitter<ReturnType<typeof editor> | undefined>();
  const documents = new Map<string, FakeDocument>();
  const api = {
    Uri,
    ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
    window: {
      activeTextEditor: undefined as ReturnType<typeof editor> | undefined,
      visibleTextEditors: [] as ReturnType<typeof editor>[],
      onDidChangeActiveTextEditor: activeEditor.event,
      onDidChangeTextEditorSelection: new Emitter<unknown>().event,
      createWebviewPanel: () => fakePanel(),
    },
    workspace: {
      textDocuments: [] as FakeDocument[],
      onDidChangeTextDocument: new Emitter<unknown>().event,
      onDidCloseTextDocument: new Emitter<unknown>().event,
      openTextDocument: async (u: Uri) => {
        const d = documents.get(u.toString());
        if (!d) throw new Error(`cannot open ${u.toString()}`);
        return d;
      },
    },
    commands: { executeCommand: async () => undefined },
  };
  return {
    api,
    /** A document that exists on disk (openTextDocument finds it). */
    addDocument(d: FakeDocument) {
      documents.set(d.uri.toString(), d);
    },
    activate(d: FakeDocument | undefined) {
      api.window.activeTextEditor = d && editor(d);
      activeEditor.fire(api.window.activeTextEditor);
    },
  };
}

let installed: ReturnType<typeof createFakeVscode> | undefined;

/** Makes `require('vscode')` return one fake, shared by every module that imports it. */
export function installFakeVscode(): ReturnType<typeof createFakeVscode> {
  if (installed) return installed;
  const fake = createFakeVscode();
  const m = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = m._load;
  m._load = function (request: string, ...rest: unknown[]) {
    return request === 'vscode' ? fake.api : load.call(this, request, ...rest);
  };
  installed = fake;
  return fake;
}
