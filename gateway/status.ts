import { status, type ServiceError } from '@grpc/grpc-js';
import { Metadata } from '@grpc/grpc-js';
import { StoreError, type StoreErrorCode } from '../adapters/store.ts';
import type { Logger } from 'pino';

/** An error the gateway answers on purpose, with its gRPC status. */
export class RequestError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** Every store error code, mapped once. */
const storeStatus: Record<StoreErrorCode, status> = {
  'not-found': status.NOT_FOUND,
  'already-exists': status.ALREADY_EXISTS,
  'failed-precondition': status.FAILED_PRECONDITION,
  'invalid-argument': status.INVALID_ARGUMENT,
  aborted: status.ABORTED,
  unavailable: status.UNAVAILABLE,
  'resource-exhausted': status.RESOURCE_EXHAUSTED,
  unimplemented: status.UNIMPLEMENTED,
};

/**
 * Turns anything thrown by a handler into a gRPC error. Unknown errors become INTERNAL with generic
 * details (no Redis text reaches a client) and are logged in full.
 */
export function toServiceError(error: unknown, log: Logger): Partial<ServiceError> {
  if (error instanceof RequestError) return { code: error.code, details: error.message, metadata: new Metadata() };
  if (error instanceof StoreError) return { code: storeStatus[error.code], details: error.message, metadata: new Metadata() };
  log.error({ err: error }, 'internal error');
  return { code: status.INTERNAL, details: 'internal error', metadata: new Metadata() };
}
