import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Duration as _google_protobuf_Duration, Duration__Output as _google_protobuf_Duration__Output } from './google/protobuf/Duration';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp';
import type { AbortRequest as _relay_v1_AbortRequest, AbortRequest__Output as _relay_v1_AbortRequest__Output } from './relay/v1/AbortRequest';
import type { AbortResponse as _relay_v1_AbortResponse, AbortResponse__Output as _relay_v1_AbortResponse__Output } from './relay/v1/AbortResponse';
import type { CommitRequest as _relay_v1_CommitRequest, CommitRequest__Output as _relay_v1_CommitRequest__Output } from './relay/v1/CommitRequest';
import type { CommitResponse as _relay_v1_CommitResponse, CommitResponse__Output as _relay_v1_CommitResponse__Output } from './relay/v1/CommitResponse';
import type { PrepareRequest as _relay_v1_PrepareRequest, PrepareRequest__Output as _relay_v1_PrepareRequest__Output } from './relay/v1/PrepareRequest';
import type { PrepareResponse as _relay_v1_PrepareResponse, PrepareResponse__Output as _relay_v1_PrepareResponse__Output } from './relay/v1/PrepareResponse';
import type { TransactionAck as _relay_v1_TransactionAck, TransactionAck__Output as _relay_v1_TransactionAck__Output } from './relay/v1/TransactionAck';
import type { TransactionMessage as _relay_v1_TransactionMessage, TransactionMessage__Output as _relay_v1_TransactionMessage__Output } from './relay/v1/TransactionMessage';
import type { TransactionServiceClient as _relay_v1_TransactionServiceClient, TransactionServiceDefinition as _relay_v1_TransactionServiceDefinition } from './relay/v1/TransactionService';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  google: {
    protobuf: {
      Duration: MessageTypeDefinition<_google_protobuf_Duration, _google_protobuf_Duration__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
    }
  }
  relay: {
    v1: {
      AbortRequest: MessageTypeDefinition<_relay_v1_AbortRequest, _relay_v1_AbortRequest__Output>
      AbortResponse: MessageTypeDefinition<_relay_v1_AbortResponse, _relay_v1_AbortResponse__Output>
      CommitRequest: MessageTypeDefinition<_relay_v1_CommitRequest, _relay_v1_CommitRequest__Output>
      CommitResponse: MessageTypeDefinition<_relay_v1_CommitResponse, _relay_v1_CommitResponse__Output>
      PrepareRequest: MessageTypeDefinition<_relay_v1_PrepareRequest, _relay_v1_PrepareRequest__Output>
      PrepareResponse: MessageTypeDefinition<_relay_v1_PrepareResponse, _relay_v1_PrepareResponse__Output>
      TransactionAck: MessageTypeDefinition<_relay_v1_TransactionAck, _relay_v1_TransactionAck__Output>
      TransactionMessage: MessageTypeDefinition<_relay_v1_TransactionMessage, _relay_v1_TransactionMessage__Output>
      TransactionService: SubtypeConstructor<typeof grpc.Client, _relay_v1_TransactionServiceClient> & { service: _relay_v1_TransactionServiceDefinition }
    }
  }
}

