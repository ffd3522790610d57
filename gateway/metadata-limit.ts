import { ServerInterceptingCall, status, type ServerInterceptor } from '@grpc/grpc-js';

/**
 * grpc-js servers accept request metadata of any size; this interceptor answers RESOURCE_EXHAUSTED
 * (as gRPC core does past its 8 KiB default) before the handler runs.
 */
export function metadataLimit(maxBytes: number): ServerInterceptor {
  return (_method, call) =>
    new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (metadata, pass) => {
            let bytes = 0;
            for (const [key, values] of Object.entries(metadata.toHttp2Headers())) {
              for (const value of [values].flat()) bytes += key.length + String(value).length;
            }
            if (bytes > maxBytes) {
              call.sendStatus({ code: status.RESOURCE_EXHAUSTED, details: `request metadata exceeds ${maxBytes} bytes` });
              return;
            }
            pass(metadata);
          },
        }),
    });
}
