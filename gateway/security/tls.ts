import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { ServerCredentials } from '@grpc/grpc-js';

// TLS on the gRPC port from PEM files, and mutual TLS when a client CA is given: the handshake then
// requires a client certificate signed by that CA and within its validity (Node checks both), so a
// call never starts on a connection with a wrong-CA or expired certificate.

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
  /** '' = no client certificates asked for. */
  readonly clientCaFile: string;
}

/** Reads and checks the files (key matches certificate, PEM parses); throws saying which file is wrong. */
function readContext(files: TlsFiles): SecureContextOptions {
  const read = (file: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  };
  const options: SecureContextOptions = {
    cert: read(files.certFile),
    key: read(files.keyFile),
    ...(files.clientCaFile ? { ca: read(files.clientCaFile) } : {}),
  };
  try {
    createSecureContext(options);
  } catch (error) {
    throw new Error(`TLS files ${[files.certFile, files.keyFile, files.clientCaFile].filter(Boolean).join(', ')}: ${(error as Error).message}`);
  }
  return options;
}

/**
 * grpc-js server credentials whose certificate, key and client CA are read again by reload():
 * new connections get the new ones; open connections, and their streams, keep theirs.
 */
export class FileServerCredentials extends ServerCredentials {
  constructor(private readonly files: TlsFiles) {
    super({ requestCert: files.clientCaFile !== '', rejectUnauthorized: files.clientCaFile !== '' }, readContext(files));
  }

  /** Reads the files again; on any problem throws and keeps serving the previous ones. */
  reload(): void {
    this.updateSecureContextOptions(readContext(this.files));
  }

  _equals(other: ServerCredentials): boolean {
    return other === this;
  }
}
