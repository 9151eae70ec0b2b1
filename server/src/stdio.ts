/**
 * The stdio transport: vscode-languageserver's, except that each message, header and content, goes
 * out in one write.
 *
 * vscode-jsonrpc's `StreamMessageWriter` writes the `Content-Length` header, waits until it is
 * flushed, then writes the content (`WriteableStreamMessageWriter.doWrite`): two system calls per
 * message, and a client waiting on its end of the pipe may wake up for the header alone. Standard
 * output is synchronous for pipes on Linux, so the server waits for both system calls too. The
 * bytes are the same: JSON (`JSON.stringify`, as the library's default encoder), UTF-8,
 * `Content-Length` in bytes. A result that knows its JSON (`SerializedResult`) goes in as that text.
 */
import { AbstractMessageWriter, createConnection, ProposedFeatures, type Connection, type Message, type MessageWriter, type ResponseMessage } from 'vscode-languageserver/node';
import { SerializedResult } from './serialized';

/**
 * A connection over stdin and stdout. vscode-languageserver wraps each side in a reader or writer
 * only when it is a stream (vscode-jsonrpc `createMessageConnection`), and ends the server when an
 * input stream closes, as for `--stdio`: so stdin goes in as a stream and the writer as a writer.
 * Its overloads name only two streams or two endpoints.
 */
export function createStdioConnection(): Connection {
  const create = createConnection as (features: typeof ProposedFeatures.all, input: NodeJS.ReadableStream, output: MessageWriter) => Connection;
  return create(ProposedFeatures.all, process.stdin, new SingleWriteMessageWriter(process.stdout));
}

export class SingleWriteMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private errorCount = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super();
    stream.on('error', (error: unknown) => this.fireError(error));
    stream.on('close', () => this.fireClose());
  }

  write(msg: Message): Promise<void> {
    let bytes: Buffer;
    try {
      bytes = encode(msg);
    } catch (error) {
      this.failed(error, msg);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.stream.write(bytes, (error?: Error | null) => {
        if (error) {
          this.failed(error, msg);
          reject(error);
        } else resolve();
      });
    });
  }

  end(): void {
    this.stream.end();
  }

  private failed(error: unknown, msg: Message): void {
    this.errorCount++;
    this.fireError(error, msg, this.errorCount);
  }
}

/** `Content-Length: <bytes>\r\n\r\n<JSON>`, in one buffer. */
export function encode(msg: Message): Buffer {
  const json = toJson(msg);
  const length = Buffer.byteLength(json, 'utf8');
  const header = `Content-Length: ${length}\r\n\r\n`;
  const bytes = Buffer.allocUnsafe(header.length + length);
  bytes.write(header, 0, 'latin1');
  bytes.write(json, header.length, 'utf8');
  return bytes;
}

/** `JSON.stringify(msg)`, with a `SerializedResult` spliced in as it is rather than parsed and written again. */
function toJson(msg: Message): string {
  const response = msg as ResponseMessage;
  const result = response.result;
  // A response is `jsonrpc`, `id`, and then its result (vscode-jsonrpc `reply`).
  if (!(result instanceof SerializedResult)) return JSON.stringify(msg);
  return `{"jsonrpc":${JSON.stringify(response.jsonrpc)},"id":${JSON.stringify(response.id)},"result":${result.json}}`;
}
