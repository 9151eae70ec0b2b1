/**
 * The stdio transport: cancellations that are already queued when the server reaches a request, and
 * the server's life ending with its input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LSPErrorCodes, type Hover, type MarkupContent } from 'vscode-languageserver-protocol';
import { fullCapabilities, TestClient } from './lspClient';
import { NODE_AGENT } from './fixtures';

test('a request whose cancellation arrived with it is answered RequestCancelled; the next one is answered', { timeout: 60_000 }, async () => {
  const client = new TestClient();
  try {
    await client.initialize(fullCapabilities({ pull: true }));
    const uri = await client.openOnly('agent.yaml', NODE_AGENT);
    assert.ok((await client.pull(uri)).items.length > 0, 'the agent has findings to pull');
    const hover = { textDocument: { uri }, position: client.positionOf(uri, 'key: dedicated', 6) };
    const answers = await client.sendTogether([
      { id: 'hover-cancelled', method: 'textDocument/hover', params: hover },
      { method: '$/cancelRequest', params: { id: 'hover-cancelled' } },
      { id: 'pull-cancelled', method: 'textDocument/diagnostic', params: { textDocument: { uri } } },
      { method: '$/cancelRequest', params: { id: 'pull-cancelled' } },
      { id: 'hover-kept', method: 'textDocument/hover', params: hover },
    ]);
    assert.equal(answers.get('hover-cancelled')?.error?.code, LSPErrorCodes.RequestCancelled);
    assert.equal(answers.get('pull-cancelled')?.error?.code, LSPErrorCodes.RequestCancelled);
    const kept = answers.get('hover-kept')!;
    assert.equal(kept.error, undefined);
    assert.match(((kept.result as Hover).contents as MarkupContent).value, /dedicated/);
  } finally {
    await client.dispose();
  }
});

test('the server ends when its input closes: exit code 0 after shutdown, 1 without', { timeout: 60_000 }, async () => {
  for (const shutdown of [true, false]) {
    const client = new TestClient();
    try {
      await client.initialize();
      if (shutdown) await client.conn.sendRequest('shutdown');
      const exited = new Promise<number | null>((resolve) => client.child.once('exit', resolve));
      client.child.stdin!.end();
      assert.equal(await exited, shutdown ? 0 : 1);
    } finally {
      await client.dispose();
    }
  }
});
