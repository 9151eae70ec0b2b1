/** The stdio transport's writer: the library's bytes, in one write per message. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { StreamMessageReader, type Message, type RequestMessage } from 'vscode-jsonrpc/node';
import { SerializedResult } from '../../server/src/serialized';
import { encode, SingleWriteMessageWriter } from '../../server/src/stdio';

const request = (id: number, text: string): RequestMessage => ({ jsonrpc: '2.0', id, method: 'textDocument/hover', params: { text } });

test('a message is its Content-Length header in bytes, then its JSON in UTF-8', () => {
  const msg = request(1, 'taint é ✓ 節点 🚀');
  const json = JSON.stringify(msg);
  const bytes = encode(msg);
  assert.equal(bytes.toString('utf8'), `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`);
  assert.ok(Buffer.byteLength(json, 'utf8') > json.length, 'the message has multi-byte characters');
});

test('each message goes out in one write, and the library reads them back', async () => {
  const pipe = new PassThrough();
  const writes: Buffer[] = [];
  const original = pipe.write.bind(pipe);
  pipe.write = ((chunk: Buffer, ...rest: never[]) => {
    writes.push(chunk);
    return original(chunk, ...rest);
  }) as typeof pipe.write;
  const sent = [request(1, 'a'), request(2, 'ünïcödé 🚀'), request(3, 'x'.repeat(100_000))];
  const received: Message[] = [];
  const reader = new StreamMessageReader(pipe);
  const all = new Promise<void>((resolve) => reader.listen((m) => {
    received.push(m);
    if (received.length === sent.length) resolve();
  }));
  const writer = new SingleWriteMessageWriter(pipe);
  for (const m of sent) await writer.write(m);
  await all;
  assert.equal(writes.length, sent.length);
  assert.deepEqual(received, sent);
  reader.dispose();
});

test('a result that knows its JSON goes out as that text; other serialisers get its value', async () => {
  const value = [{ title: 'Add toleration ✓', kind: 'quickfix', diagnostics: [{ message: 'x'.repeat(3000), severity: 3 }] }];
  // Indented, so that the text written is told apart from the value written again.
  const text = JSON.stringify(value, null, 1);
  const serialized = () => new SerializedResult(() => text, () => value);
  const response = (id: number | string, result: unknown) => ({ jsonrpc: '2.0', id, result }) as Message;
  for (const id of [7, 'req-7']) {
    const json = `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${text}}`;
    assert.equal(encode(response(id, serialized())).toString('utf8'), `Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`);
    assert.equal(JSON.stringify(response(id, serialized())), JSON.stringify(response(id, value)));
  }
  const pipe = new PassThrough();
  const reader = new StreamMessageReader(pipe);
  const received = new Promise<Message>((resolve) => reader.listen(resolve));
  await new SingleWriteMessageWriter(pipe).write(response(3, serialized()));
  assert.deepEqual(await received, response(3, value));
  reader.dispose();
});

test('a failed write rejects and reports the error, the message and the count', async () => {
  const broken = new Writable({ write: (_chunk, _enc, cb) => cb(new Error('EPIPE')) });
  broken.on('error', () => undefined);
  const writer = new SingleWriteMessageWriter(broken);
  const errors: Array<[Error, Message | undefined, number | undefined]> = [];
  writer.onError((e) => errors.push(e));
  await assert.rejects(writer.write(request(7, 'a')), /EPIPE/);
  const [error, msg, count] = errors.find(([, m]) => m !== undefined)!;
  assert.match(error.message, /EPIPE/);
  assert.equal((msg as RequestMessage).id, 7);
  assert.equal(count, 1);
});
