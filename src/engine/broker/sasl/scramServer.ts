import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of SCRAM-SHA-256/512 (RFC 5802, RFC 7677) as Kafka uses it (KIP-84):
 * two round trips, credentials kept only as salted keys. A failed step throws ScramError;
 * the caller answers SASL_AUTHENTICATION_FAILED and closes the connection, as Kafka does.
 */
export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
const HASH: Record<ScramMechanism, { name: 'sha256' | 'sha512'; bytes: number }> = {
  'SCRAM-SHA-256': { name: 'sha256', bytes: 32 },
  'SCRAM-SHA-512': { name: 'sha512', bytes: 64 },
};
/** Kafka's default and minimum for SCRAM credentials. */
const ITERATIONS = 4096;

export interface ScramCredential {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

export class ScramError extends Error {
  override readonly name = 'ScramError';
}

const hmac = (mechanism: ScramMechanism, key: Buffer, data: string | Buffer) => createHmac(HASH[mechanism].name, key).update(data).digest();
const hash = (mechanism: ScramMechanism, data: Buffer) => createHash(HASH[mechanism].name).update(data).digest();

/** Derives what the server stores from a password (the password itself is not kept). */
export function scramCredential(mechanism: ScramMechanism, password: string, salt = randomBytes(16), iterations = ITERATIONS): ScramCredential {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, HASH[mechanism].bytes, HASH[mechanism].name);
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return { salt, iterations, storedKey: hash(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') };
}

/** Parses `k=v,k=v` SCRAM attributes; values may contain '=' (base64), so split on the first. */
function attributes(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    map.set(part.slice(0, at), part.slice(at + 1));
  }
  return map;
}

/** SCRAM usernames escape ',' as =2C and '=' as =3D. */
function unescapeName(name: string): string {
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** One SCRAM conversation on one connection. */
export class ScramExchange {
  private step: 'first' | 'final' | 'done' = 'first';
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private credential: ScramCredential | undefined;
  user = '';

  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly lookup: (user: string) => ScramCredential | undefined,
  ) {}

  get finished(): boolean {
    return this.step === 'done';
  }

  /** Feeds one client message; returns the server's answer. */
  respond(message: Buffer): Buffer {
    const text = message.toString('utf8');
    if (this.step === 'first') return this.first(text);
    if (this.step === 'final') return this.final(text);
    throw new ScramError('the SCRAM exchange is already complete');
  }

  private first(text: string): Buffer {
    // gs2 header: "n,," or "n,a=authzid," (no channel binding: Kafka does not support it).
    const match = /^n,(a=[^,]*)?,(.*)$/.exec(text);
    if (match === null) throw new ScramError('SCRAM client-first message is malformed (channel binding is not supported)');
    this.clientFirstBare = match[2]!;
    const attrs = attributes(this.clientFirstBare);
    const user = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (user === undefined || clientNonce === undefined || clientNonce === '') throw new ScramError('SCRAM client-first message lacks a user name or nonce');
    this.user = unescapeName(user);
    this.credential = this.lookup(this.user);
    // An unknown user still gets a well-formed challenge (with a throwaway credential), so a
    // client cannot tell unknown users from wrong passwords.
    const credential = this.credential ?? scramCredential(this.mechanism, randomBytes(16).toString('hex'), randomBytes(16));
    this.nonce = clientNonce + randomBytes(18).toString('base64url');
    this.serverFirst = `r=${this.nonce},s=${credential.salt.toString('base64')},i=${credential.iterations}`;
    this.step = 'final';
    return Buffer.from(this.serverFirst);
  }

  private final(text: string): Buffer {
    const proofAt = text.lastIndexOf(',p=');
    if (proofAt < 0) throw new ScramError('SCRAM client-final message lacks a proof');
    const withoutProof = text.slice(0, proofAt);
    const attrs = attributes(text);
    // Kafka accepts a final nonce that ends with the server's nonce, and librdkafka relies on
    // it: it sends its own nonce followed by the server's (which already begins with it).
    if (!(attrs.get('r') ?? '').endsWith(this.nonce)) throw new ScramError('SCRAM nonce does not match');
    const channel = Buffer.from(attrs.get('c') ?? '', 'base64').toString('utf8');
    if (!channel.startsWith('n,')) throw new ScramError('SCRAM channel binding is not supported');
    const proof = Buffer.from(attrs.get('p') ?? '', 'base64');
    const credential = this.credential;
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    this.step = 'done';
    if (credential === undefined || proof.length !== credential.storedKey.length) throw new ScramError(`Authentication failed for user "${this.user}"`);
    const clientSignature = hmac(this.mechanism, credential.storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    if (!timingSafeEqual(hash(this.mechanism, clientKey), credential.storedKey)) throw new ScramError(`Authentication failed for user "${this.user}"`);
    const serverSignature = hmac(this.mechanism, credential.serverKey, authMessage);
    return Buffer.from(`v=${serverSignature.toString('base64')}`);
  }
}
