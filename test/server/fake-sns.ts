/** A stand-in SNS endpoint (AWS Query protocol) that records what is published to it. */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PublishedMessage {
  TopicArn: string | null;
  Message: string | null;
}

export interface FakeSns {
  url: string;
  published: PublishedMessage[];
  /** Resolves with the next message published from now on. */
  nextPublish(): Promise<PublishedMessage>;
  close(): Promise<void>;
}

/** `failWith` answers every Publish with that HTTP status and an SNS-style error instead. */
export async function startFakeSns(options: { failWith?: number } = {}): Promise<FakeSns> {
  const published: PublishedMessage[] = [];
  const waiting: ((message: PublishedMessage) => void)[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    response.setHeader('content-type', 'text/xml');
    if (options.failWith !== undefined) {
      response.statusCode = options.failWith;
      response.end(
        '<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r</RequestId></ErrorResponse>',
      );
      return;
    }
    const message = { TopicArn: form.get('TopicArn'), Message: form.get('Message') };
    published.push(message);
    waiting.splice(0).forEach((resolve) => resolve(message));
    response.end(
      `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>message-${published.length}</MessageId></PublishResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishResponse>`,
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    published,
    nextPublish: () => new Promise((resolve) => waiting.push(resolve)),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
