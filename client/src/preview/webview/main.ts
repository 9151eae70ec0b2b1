/** Entry of the webview bundle (client/out/webview.js): wires the DOM app to the extension. */
import { createApp, type WebviewApi } from './render';

declare function acquireVsCodeApi(): WebviewApi;

const api = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const app = createApp(document, root, api);
window.addEventListener('message', (event: MessageEvent) => app.onMessage(event.data));
api.postMessage({ type: 'ready' });
