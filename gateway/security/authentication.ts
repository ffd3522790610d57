import { createHash, X509Certificate } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { JwtVerifier, TokenError } from './jwt.ts';

// Who is calling: the principal of a bearer token (`authorization: Bearer <token>`: a static token
// from the tokens file, or a JWT), else the subject of the verified client certificate (mTLS).
// A token that is presented must be valid, even on an mTLS connection: it names the principal.

/**
 * Static tokens (RELAY_TOKENS_FILE), JSON: {"tokens": [{"principal": "billing", "token": "..."},
 * {"principal": "audit", "sha256": "<hex digest of the token>"}]}. Kept and looked up by SHA-256
 * only, so the lookup's timing says nothing about a token's text.
 */
export class StaticTokens {
  private constructor(private readonly principals: ReadonlyMap<string, string>) {}

  static parse(text: string, source = 'tokens'): StaticTokens {
    let json: { tokens?: unknown };
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source}: not JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(json?.tokens)) throw new Error(`${source}: needs a "tokens" list`);
    const problems: string[] = [];
    const principals = new Map<string, string>();
    json.tokens.forEach((entry: Record<string, unknown>, i: number) => {
      const principal = entry?.principal;
      const digest = typeof entry?.token === 'string' && entry.token.length >= 16 ? sha256(entry.token) : entry?.sha256;
      if (typeof principal !== 'string' || principal === '') problems.push(`${source}: token ${i} needs a principal`);
      else if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) {
        problems.push(`${source}: token ${i} (${principal}) needs "token" (16 characters or more) or "sha256" (64 hex digits)`);
      } else if (principals.has(digest)) problems.push(`${source}: token ${i} (${principal}) repeats another entry's token`);
      else principals.set(digest, principal);
    });
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return new StaticTokens(principals);
  }

  principalOf(token: string): string | undefined {
    return this.principals.get(sha256(token));
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Thrown for missing or invalid credentials: UNAUTHENTICATED. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

export class Authenticator {
  constructor(
    private readonly tokens: StaticTokens | undefined,
    private readonly jwt: JwtVerifier | undefined,
  ) {}

  /**
   * The caller's principal; throws AuthenticationError saying what is missing or wrong.
   * peerCertificate: DER of the client certificate, only when the TLS handshake verified it.
   */
  authenticate(metadata: Metadata, peerCertificate: Buffer | undefined): string {
    const headers = metadata.get('authorization');
    if (headers.length > 1) throw new AuthenticationError('more than one authorization header');
    if (headers.length === 1) {
      const match = /^Bearer ([^\s]+)$/i.exec(String(headers[0]));
      if (!match) throw new AuthenticationError('authorization must be "Bearer <token>"');
      const token = match[1]!;
      const principal = this.tokens?.principalOf(token);
      if (principal !== undefined) return principal;
      if (this.jwt && JwtVerifier.looksLikeJwt(token)) {
        try {
          return this.jwt.verify(token);
        } catch (error) {
          if (error instanceof TokenError) throw new AuthenticationError(`invalid token: ${error.message}`);
          throw error;
        }
      }
      throw new AuthenticationError('unknown token');
    }
    if (peerCertificate) return subjectOf(peerCertificate);
    throw new AuthenticationError('credentials required: authorization: Bearer <token>, or a client certificate');
  }
}

/** The subject in RFC 4514 order, as `openssl x509 -noout -subject -nameopt RFC2253` prints it: CN=...,O=... */
export function subjectOf(der: Buffer): string {
  return new X509Certificate(der).subject.split('\n').reverse().join(',');
}
