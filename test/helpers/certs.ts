import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM certificate and its key, as files. */
export interface CertificateFiles {
  readonly cert: string;
  readonly key: string;
}

/** Certificates made at test time with the openssl CLI (fails loudly when it is missing). */
export interface TestCertificates {
  readonly dir: string;
  /** The CA of servers and valid clients; its PEM is the client CA file of mTLS gateways. */
  readonly ca: CertificateFiles;
  /** Server certificates for 127.0.0.1 / localhost, subjects CN=relay-1 and CN=relay-2 (reload). */
  readonly server: CertificateFiles;
  readonly otherServer: CertificateFiles;
  /** Client certificates, all with the subject CN=alice,O=Relay tests. */
  readonly client: CertificateFiles;
  readonly wrongCaClient: CertificateFiles;
  readonly expiredClient: CertificateFiles;
  /** The principal of `client`: its subject as RFC 2253 prints it. */
  readonly clientPrincipal: string;
  read(file: string): Buffer;
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    throw new Error(`openssl ${args.join(' ')} failed: ${(error as Error).message}`);
  }
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'relay-certs-'));
  const key = (name: string) => ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${name}.key`];
  const makeCa = (name: string): CertificateFiles => {
    openssl(['req', '-x509', ...key(name), '-out', `${name}.pem`, '-subj', `/CN=Relay test ${name}`, '-days', '2'], dir);
    return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  };
  const issue = (ca: CertificateFiles, name: string, subject: string, days: number, extensions = ''): CertificateFiles => {
    openssl(['req', ...key(name), '-out', `${name}.csr`, '-subj', subject], dir);
    const extra: string[] = [];
    if (extensions) {
      writeFileSync(join(dir, `${name}.ext`), extensions);
      extra.push('-extfile', `${name}.ext`);
    }
    // -days -1 makes a certificate that expired a day before it was issued.
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', String(Date.now() + Math.floor(Math.random() * 1e6)), '-days', String(days), '-out', `${name}.pem`, ...extra], dir);
    return { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
  };
  const serverNames = 'subjectAltName=IP:127.0.0.1,DNS:localhost\n';
  const ca = makeCa('ca');
  const otherCa = makeCa('other-ca');
  return {
    dir,
    ca,
    server: issue(ca, 'server-1', '/CN=relay-1', 2, serverNames),
    otherServer: issue(ca, 'server-2', '/CN=relay-2', 2, serverNames),
    client: issue(ca, 'alice', '/O=Relay tests/CN=alice', 2),
    wrongCaClient: issue(otherCa, 'alice-other-ca', '/O=Relay tests/CN=alice', 2),
    expiredClient: issue(ca, 'alice-expired', '/O=Relay tests/CN=alice', -1),
    clientPrincipal: 'CN=alice,O=Relay tests',
    read: (file) => readFileSync(file),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
