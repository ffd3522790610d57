import { readFileSync } from 'node:fs';
import { ServerCredentials, type ServerInterceptor } from '@grpc/grpc-js';
import type { Config } from '../config.ts';
import { Authenticator, StaticTokens } from './authentication.ts';
import { securityInterceptor } from './interceptor.ts';
import { JwtVerifier } from './jwt.ts';
import { Permissions } from './permissions.ts';
import { PrincipalLimits } from './rate-limit.ts';
import { FileServerCredentials } from './tls.ts';

export type SecurityConfig = Pick<
  Config,
  | 'tlsCertFile'
  | 'tlsKeyFile'
  | 'tlsClientCaFile'
  | 'tokensFile'
  | 'jwksFile'
  | 'jwtAudience'
  | 'jwtIssuer'
  | 'permissionsFile'
  | 'publishMessagesPerSecond'
  | 'publishBytesPerSecond'
  | 'maxStreamsPerPrincipal'
>;

/** Who may connect and call, from files read at start and again by reload() (SIGHUP). */
export class GatewaySecurity {
  /** Insecure, TLS, or TLS requiring client certificates. */
  readonly credentials: ServerCredentials;
  /** True when calls need a principal: a token source, a client CA or a permissions file is configured. */
  readonly authentication: boolean;
  readonly limits: PrincipalLimits;
  authenticator: Authenticator;
  permissions: Permissions;

  /** Reads every file; throws one Error listing every problem. */
  constructor(private readonly config: SecurityConfig) {
    const problems: string[] = [];
    const attempt = <T>(load: () => T): T | undefined => {
      try {
        return load();
      } catch (error) {
        problems.push((error as Error).message);
        return undefined;
      }
    };
    const tls = config.tlsCertFile
      ? attempt(() => new FileServerCredentials({ certFile: config.tlsCertFile, keyFile: config.tlsKeyFile, clientCaFile: config.tlsClientCaFile }))
      : ServerCredentials.createInsecure();
    const authenticator = attempt(() => this.loadAuthenticator());
    const permissions = attempt(() => this.loadPermissions());
    if (problems.length > 0) throw new Error(problems.join('\n'));
    this.credentials = tls!;
    this.authenticator = authenticator!;
    this.permissions = permissions!;
    this.authentication = Boolean(config.tokensFile || config.jwksFile || config.tlsClientCaFile || config.permissionsFile);
    this.limits = new PrincipalLimits(config);
  }

  get tls(): boolean {
    return this.credentials instanceof FileServerCredentials;
  }

  get mutualTls(): boolean {
    return this.tls && this.config.tlsClientCaFile !== '';
  }

  /**
   * Reads every file again. Each piece that reads cleanly replaces the old one; a piece that does not
   * keeps serving the old one. Returns the problems (empty when all reloaded).
   */
  reload(): string[] {
    const problems: string[] = [];
    const attempt = (apply: () => void) => {
      try {
        apply();
      } catch (error) {
        problems.push((error as Error).message);
      }
    };
    if (this.credentials instanceof FileServerCredentials) attempt(() => (this.credentials as FileServerCredentials).reload());
    attempt(() => (this.authenticator = this.loadAuthenticator()));
    attempt(() => (this.permissions = this.loadPermissions()));
    return problems;
  }

  /** The server interceptor that authenticates, authorizes and limits every relay.v1 call; none when there is nothing to check. */
  interceptors(): ServerInterceptor[] {
    return this.authentication || this.limits.enabled ? [securityInterceptor(this)] : [];
  }

  private loadAuthenticator(): Authenticator {
    const { tokensFile, jwksFile, jwtAudience, jwtIssuer } = this.config;
    const tokens = tokensFile ? StaticTokens.parse(read(tokensFile), tokensFile) : undefined;
    const jwt = jwksFile ? JwtVerifier.fromJwks(read(jwksFile), { audience: jwtAudience, issuer: jwtIssuer || undefined }, jwksFile) : undefined;
    return new Authenticator(tokens, jwt);
  }

  private loadPermissions(): Permissions {
    const file = this.config.permissionsFile;
    return file ? Permissions.parse(read(file), file) : Permissions.allowAll();
  }
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}
