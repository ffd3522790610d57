import { Metadata, ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';
import { RequestError } from '../status.ts';
import { AuthenticationError } from './authentication.ts';
import { methodRules, missing } from './authorization.ts';
import type { Refusal } from './rate-limit.ts';
import type { GatewaySecurity } from './security.ts';

/** The principal every caller shares when authentication is off (limits still apply to it). */
export const anonymous = 'anonymous';

/** Trailer with the milliseconds to wait before retrying a RESOURCE_EXHAUSTED call. */
export const retryAfterTrailer = 'relay-retry-after-ms';

/** Later requests of a stream that the limits refused: the handler answers each with its refusal. */
const refusedRequests = new WeakMap<object, Refusal>();

/** The limits' refusal of a stream's later request, if they refused it. */
export function refusalOf(request: object): Refusal | undefined {
  return refusedRequests.get(request);
}

/**
 * One interceptor for every relay.v1 call; health and reflection pass untouched.
 * Authenticates once from the headers (UNAUTHENTICATED), then holds the headers back until the
 * first request message has been authorized (PERMISSION_DENIED) and admitted by the limits
 * (RESOURCE_EXHAUSTED): the handler, and with it every store call, starts only after all of that.
 * A PublishStream's later requests pass the publish rate limit one by one; one it refuses is marked
 * for the handler (refusalOf), which answers it alone.
 */
export function securityInterceptor(security: GatewaySecurity): ServerInterceptor {
  return (method, call) => {
    if (!method.path.startsWith('/relay.v1.')) return new ServerInterceptingCall(call);
    const rule = methodRules[method.path];
    let principal = anonymous;
    let authorized = false;
    let refused = false;
    let release: (() => void) | undefined;
    let passHeaders: (() => void) | undefined;

    const refuse = (code: status, details: string, retryAfterMs?: number) => {
      refused = true;
      const metadata = new Metadata();
      if (retryAfterMs !== undefined) {
        metadata.set(retryAfterTrailer, String(retryAfterMs));
        metadata.set('grpc-status-details-bin', retryInfoStatus(code, details, retryAfterMs));
      }
      call.sendStatus({ code, details, metadata });
    };
    const refuseLimit = (refusal: Refusal) => refuse(status.RESOURCE_EXHAUSTED, refusal.message, refusal.retryAfterMs);

    /** Authorization, limits and scoping of the first request; false when the call was refused. */
    const admit = (request: unknown): boolean => {
      if (!rule) {
        if (!security.authentication) return true;
        refuse(status.PERMISSION_DENIED, `${method.path} has no authorization rule`);
        return false;
      }
      try {
        if (security.authentication) {
          const lacking = missing(rule.needs(request), principal, security.permissions);
          if (lacking) {
            refuse(status.PERMISSION_DENIED, `${principal} may not ${lacking.verb} ${JSON.stringify(lacking.name)}`);
            return false;
          }
          rule.scopeRequest?.(request, principal);
        }
        const published = rule.publishes?.(request);
        const refusal = published && security.limits.admitPublish(principal, published.messages, published.bytes);
        if (refusal) {
          refuseLimit(refusal);
          return false;
        }
        if (rule.stream) {
          const opened = security.limits.openStream(principal);
          if (!('release' in opened)) {
            refuseLimit(opened);
            return false;
          }
          release = opened.release;
        }
      } catch (error) {
        if (!(error instanceof RequestError)) throw error;
        refuse(error.code, error.message);
        return false;
      }
      return true;
    };

    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, pass) => {
            if (security.authentication) {
              try {
                principal = security.authenticator.authenticate(metadata, call.getAuthContext().sslPeerCertificate?.raw);
              } catch (error) {
                if (!(error instanceof AuthenticationError)) throw error;
                return refuse(status.UNAUTHENTICATED, error.message);
              }
            }
            passHeaders = () => pass(metadata);
            // The handler asks for messages once it has the headers; until then this call reads the first.
            call.startRead();
          },
          onReceiveMessage: (message, pass) => {
            if (refused) return;
            if (!authorized) {
              if (!admit(message)) return;
              authorized = true;
              passHeaders!();
            } else if (rule?.laterRequestsPublish) {
              // The stream stays open: the handler answers this request with the refusal.
              const published = rule.publishes!(message);
              const refusal = security.limits.admitPublish(principal, published.messages, published.bytes);
              if (refusal) refusedRequests.set(message as object, refusal);
            }
            pass(message);
          },
          onReceiveHalfClose: (pass) => {
            if (refused) return;
            // No request at all: let the handler answer that.
            if (!authorized) {
              authorized = true;
              passHeaders?.();
            }
            pass();
          },
          onCancel: () => release?.(),
        }),
      sendMessage: (message, next) => {
        if (security.authentication) methodRules[method.path]?.scopeResponse?.(message, principal, security.permissions);
        next(message);
      },
      sendStatus: (sent, next) => {
        release?.();
        next(sent);
      },
    });
  };
}

// google.rpc.Status with one google.rpc.RetryInfo detail, protobuf-encoded by hand (two tiny
// messages; no dependency): what gRPC clients in every language read as the retry delay.
function retryInfoStatus(code: number, message: string, retryAfterMs: number): Buffer {
  const duration = Buffer.concat([field(1, varint(Math.floor(retryAfterMs / 1000))), field(2, varint((retryAfterMs % 1000) * 1_000_000))]);
  const retryInfo = bytesField(1, duration);
  const any = Buffer.concat([bytesField(1, Buffer.from('type.googleapis.com/google.rpc.RetryInfo')), bytesField(2, retryInfo)]);
  return Buffer.concat([field(1, varint(code)), bytesField(2, Buffer.from(message)), bytesField(3, any)]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/** A varint field (wire type 0). */
function field(number: number, value: Buffer): Buffer {
  return Buffer.concat([varint(number << 3), value]);
}

/** A length-delimited field (wire type 2). */
function bytesField(number: number, value: Buffer): Buffer {
  return Buffer.concat([varint((number << 3) | 2), varint(value.length), value]);
}
