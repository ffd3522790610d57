// Publish responses as protobuf, written by hand on the ProtoWriter as Subscribe responses are (see
// subscribe-response-encoding.ts for the rules followed, the same here): proto-loader's serializer,
// PublishResponse.encode(PublishResponse.fromObject(response)), made a message object and an
// operation object per field, about 450 bytes of garbage for every message published. The bytes are
// exactly protobufjs's (test/gateway/publish-response-encoding.test.ts). A PublishStream response is
// a Publish response (field 1, the results) with a request's status after it.
import type { PublishResponse } from '../generated/ts/relay/v1/PublishResponse.ts';
import type { PublishStreamResponse } from '../generated/ts/relay/v1/PublishStreamResponse.ts';
import { ProtoWriter } from './protobuf-writer.ts';

// Wire tags, (field number << 3) | wire type: 0 varint, 2 length-delimited.
const tag = {
  responseResults: 0x0a,
  resultMessageId: 0x0a,
  resultDuplicate: 0x10,
  streamStatusCode: 0x10,
  streamStatusMessage: 0x1a,
  streamRetryAfterMs: 0x20,
} as const;

/** A result's bytes when its message id is a stream id (two numbers of up to 16 digits): one length byte. */
const resultBytesEstimate = 48;

export function encodePublishResponse(response: PublishResponse | PublishStreamResponse): Buffer {
  const { results } = response;
  const writer = new ProtoWriter(16 + (results?.length ?? 0) * resultBytesEstimate);
  if (results != null) {
    for (let i = 0; i < results.length; i++) {
      const result = results[i]!;
      writer.byte(tag.responseResults);
      const start = writer.begin();
      if (result.messageId != null) {
        writer.byte(tag.resultMessageId);
        writer.stringAsProtobufjs(result.messageId);
      }
      if (result.duplicate != null) {
        writer.byte(tag.resultDuplicate);
        writer.byte(result.duplicate ? 1 : 0);
      }
      writer.end(start);
    }
  }
  if ('statusCode' in response && response.statusCode != null) {
    writer.byte(tag.streamStatusCode);
    // As protobufjs's fromObject and encode: int32 (negatives as ten bytes), uint32.
    writer.varint(response.statusCode | 0);
  }
  if ('statusMessage' in response && response.statusMessage != null) {
    writer.byte(tag.streamStatusMessage);
    writer.stringAsProtobufjs(response.statusMessage);
  }
  if ('retryAfterMs' in response && response.retryAfterMs != null) {
    writer.byte(tag.streamRetryAfterMs);
    writer.varint(response.retryAfterMs >>> 0);
  }
  return writer.bytes.subarray(0, writer.pos);
}
