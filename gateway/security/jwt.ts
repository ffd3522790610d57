import { createHmac, createPublicKey, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

// JSON Web Tokens (RFC 7519) signed with HS256, RS256 or ES256, checked against the keys of a JWKS
// file (RFC 7517). The algorithm must fit the key's type (no "none", no HMAC with a public key);
// exp is required, nbf honoured, aud must name this gateway's audience, iss is checked when
// configured; the principal is the `sub` claim.

/** Tolerated difference between the issuer's clock and ours. */
export const clockSkewMs = 30_000;

/** Shortest HMAC secret accepted: as long as the hash (RFC 7518 3.2). */
const minHmacKeyBytes = 32;

type Algorithm = 'HS256' | 'RS256' | 'ES256';

const keyTypeOf: Record<Algorithm, string> = { HS256: 'oct', RS256: 'RSA', ES256: 'EC' };

interface VerificationKey {
  readonly kid: string | undefined;
  readonly alg: Algorithm;
  readonly key: KeyObject | Buffer;
}

/** Why a token was refused; the message goes back to the client. */
export class TokenError extends Error {
  override readonly name = 'TokenError';
}

export interface JwtOptions {
  readonly audience: string;
  /** When set, `iss` must equal it. */
  readonly issuer?: string;
}

export class JwtVerifier {
  private constructor(
    private readonly keys: readonly VerificationKey[],
    private readonly options: JwtOptions,
  ) {}

  /** Reads a JWKS document ({"keys": [...]}); throws an Error listing every unusable key. */
  static fromJwks(text: string, options: JwtOptions, source = 'JWKS'): JwtVerifier {
    let json: { keys?: unknown };
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${source}: not JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(json?.keys) || json.keys.length === 0) throw new Error(`${source}: needs a non-empty "keys" list`);
    const problems: string[] = [];
    const keys = (json.keys as JsonWebKey[]).flatMap((jwk, i): VerificationKey[] => {
      try {
        return [importKey(jwk)];
      } catch (error) {
        problems.push(`${source}: key ${i}${typeof jwk?.kid === 'string' ? ` (${jwk.kid})` : ''}: ${(error as Error).message}`);
        return [];
      }
    });
    if (problems.length > 0) throw new Error(problems.join('\n'));
    return new JwtVerifier(keys, options);
  }

  /** True for text shaped like a compact JWS (three base64url parts). */
  static looksLikeJwt(token: string): boolean {
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token);
  }

  /** The token's principal (`sub`); throws TokenError saying what is wrong. */
  verify(token: string, nowMs = Date.now()): string {
    const [headerPart, payloadPart, signaturePart] = token.split('.');
    if (!headerPart || !payloadPart || !signaturePart || token.split('.').length !== 3) throw new TokenError('malformed token');
    const header = decodeJson(headerPart, 'header');
    const alg = header.alg;
    if (alg !== 'HS256' && alg !== 'RS256' && alg !== 'ES256') throw new TokenError(`unsupported alg ${JSON.stringify(alg)}`);
    const candidates = this.keys.filter((key) => key.alg === alg && (header.kid === undefined || key.kid === header.kid));
    if (candidates.length === 0) throw new TokenError(`no key for alg ${alg}${header.kid === undefined ? '' : ` and kid ${JSON.stringify(header.kid)}`}`);
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    const signature = Buffer.from(signaturePart, 'base64url');
    if (!candidates.some((key) => checkSignature(key, signed, signature))) throw new TokenError('bad signature');

    const claims = decodeJson(payloadPart, 'payload');
    if (typeof claims.exp !== 'number') throw new TokenError('exp is required');
    if (nowMs > claims.exp * 1000 + clockSkewMs) throw new TokenError('token expired');
    if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || nowMs + clockSkewMs < claims.nbf * 1000)) {
      throw new TokenError('token not valid yet (nbf)');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.options.audience)) throw new TokenError('wrong audience');
    if (this.options.issuer !== undefined && claims.iss !== this.options.issuer) throw new TokenError('wrong issuer');
    if (typeof claims.sub !== 'string' || claims.sub === '') throw new TokenError('sub is required');
    return claims.sub;
  }
}

function importKey(jwk: JsonWebKey): VerificationKey {
  if (typeof jwk !== 'object' || jwk === null) throw new Error('not an object');
  if (jwk.use !== undefined && jwk.use !== 'sig') throw new Error(`use is ${JSON.stringify(jwk.use)}, not "sig"`);
  const alg = (jwk.alg ?? Object.entries(keyTypeOf).find(([, kty]) => kty === jwk.kty)?.[0]) as Algorithm | undefined;
  if (alg === undefined || keyTypeOf[alg] !== jwk.kty) {
    throw new Error(`kty ${JSON.stringify(jwk.kty)} with alg ${JSON.stringify(jwk.alg)}: supported are oct/HS256, RSA/RS256, EC/ES256`);
  }
  const kid = typeof jwk.kid === 'string' ? jwk.kid : undefined;
  if (alg === 'HS256') {
    const secret = Buffer.from(String(jwk.k ?? ''), 'base64url');
    if (secret.length < minHmacKeyBytes) throw new Error(`an HS256 key needs at least ${minHmacKeyBytes} bytes`);
    return { kid, alg, key: secret };
  }
  if (alg === 'ES256' && jwk.crv !== 'P-256') throw new Error('ES256 needs crv P-256');
  return { kid, alg, key: createPublicKey({ key: jwk, format: 'jwk' }) };
}

function checkSignature({ alg, key }: VerificationKey, signed: Buffer, signature: Buffer): boolean {
  try {
    if (alg === 'HS256') {
      const expected = createHmac('sha256', key as Buffer).update(signed).digest();
      return expected.length === signature.length && timingSafeEqual(expected, signature);
    }
    if (alg === 'ES256') return verify('sha256', signed, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, signature);
    return verify('sha256', signed, key as KeyObject, signature);
  } catch {
    return false;
  }
}

function decodeJson(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // falls through to the error below
  }
  throw new TokenError(`malformed token ${what}`);
}
