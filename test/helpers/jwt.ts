import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

export type Algorithm = 'HS256' | 'RS256' | 'ES256';

export interface SignOptions {
  /** Sign with a key of the same kid and type that the JWKS does not hold (a forgery). */
  readonly forged?: boolean;
  /** Header overrides, e.g. { alg: 'none' } or { kid: 'unknown' }. */
  readonly header?: Record<string, unknown>;
}

/** Signing keys of every supported algorithm, the JWKS file content that verifies them, and a signer. */
export interface SigningKeys {
  /** {"keys": [...]}: the HS256 secret, the RSA and EC public keys. */
  readonly jwks: { keys: object[] };
  sign(alg: Algorithm, claims: Record<string, unknown>, options?: SignOptions): string;
}

interface KeySet {
  readonly hs: Buffer;
  readonly rs: KeyObject;
  readonly es: KeyObject;
}

function makeKeySet(): KeySet & { rsPublic: KeyObject; esPublic: KeyObject } {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { hs: randomBytes(32), rs: rsa.privateKey, es: ec.privateKey, rsPublic: rsa.publicKey, esPublic: ec.publicKey };
}

const kids: Record<Algorithm, string> = { HS256: 'hs-1', RS256: 'rs-1', ES256: 'es-1' };

export function makeSigningKeys(): SigningKeys {
  const real = makeKeySet();
  const forged = makeKeySet();
  const jwks = {
    keys: [
      { kty: 'oct', kid: kids.HS256, alg: 'HS256', use: 'sig', k: real.hs.toString('base64url') },
      { ...real.rsPublic.export({ format: 'jwk' }), kid: kids.RS256, alg: 'RS256', use: 'sig' },
      { ...real.esPublic.export({ format: 'jwk' }), kid: kids.ES256, alg: 'ES256', use: 'sig' },
    ],
  };
  return {
    jwks,
    sign(alg, claims, options = {}) {
      const keys = options.forged ? forged : real;
      const header = { alg, typ: 'JWT', kid: kids[alg], ...options.header };
      const signed = `${encode(header)}.${encode(claims)}`;
      const data = Buffer.from(signed);
      const signature =
        alg === 'HS256'
          ? createHmac('sha256', keys.hs).update(data).digest()
          : alg === 'RS256'
            ? sign('sha256', data, keys.rs)
            : sign('sha256', data, { key: keys.es, dsaEncoding: 'ieee-p1363' });
      return `${signed}.${signature.toString('base64url')}`;
    },
  };
}

function encode(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Seconds since the epoch, as JWT claims count time. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
