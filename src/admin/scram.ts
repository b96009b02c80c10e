import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The client side of SCRAM (RFC 5802; SHA-256/512 per RFC 7677), as Kafka uses it for
 * SASL/SCRAM (KIP-84): client-first, server-first, client-final with proof, then checking the
 * server's signature so a server that does not know the password cannot pretend it does.
 * Pure apart from the nonce, so the RFC's published exchange can test it.
 */
export type ScramHash = 'sha256' | 'sha512';

export class ScramError extends Error {
  override readonly name = 'ScramError';
}

export class ScramClient {
  readonly clientFirstBare: string;
  private authMessage: string | null = null;
  private serverKey: Buffer | null = null;

  constructor(
    private readonly hash: ScramHash,
    username: string,
    private readonly password: string,
    readonly clientNonce: string = randomBytes(24).toString('base64'),
  ) {
    this.clientFirstBare = `n=${saslName(username)},r=${clientNonce}`;
  }

  /** gs2 header "n,," (no channel binding, no authzid) + the bare message. */
  clientFirst(): string {
    return `n,,${this.clientFirstBare}`;
  }

  clientFinal(serverFirst: string): string {
    const attributes = parseAttributes(serverFirst);
    if (attributes.has('e')) throw new ScramError(`the server refused SCRAM: ${attributes.get('e')}`);
    const nonce = attributes.get('r');
    const salt = attributes.get('s');
    const iterations = Number(attributes.get('i'));
    if (!nonce || !salt || !Number.isInteger(iterations) || iterations < 1) {
      throw new ScramError('the server-first SCRAM message is malformed');
    }
    if (!nonce.startsWith(this.clientNonce) || nonce.length === this.clientNonce.length) {
      throw new ScramError('the server\'s SCRAM nonce does not extend ours');
    }
    const keyLength = this.hash === 'sha256' ? 32 : 64;
    const saltedPassword = pbkdf2Sync(this.password.normalize('NFKC'), Buffer.from(salt, 'base64'), iterations, keyLength, this.hash);
    const clientKey = this.hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    this.authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = this.hmac(storedKey, this.authMessage);
    const proof = Buffer.alloc(clientKey.length);
    for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ signature[i]!;
    this.serverKey = this.hmac(saltedPassword, 'Server Key');
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Throws unless the server proved it knows the salted password. */
  verifyServerFinal(serverFinal: string): void {
    const attributes = parseAttributes(serverFinal);
    if (attributes.has('e')) throw new ScramError(`the server refused the SCRAM proof: ${attributes.get('e')}`);
    if (!this.authMessage || !this.serverKey) throw new ScramError('server-final before client-final');
    const expected = this.hmac(this.serverKey, this.authMessage);
    const received = Buffer.from(attributes.get('v') ?? '', 'base64');
    if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
      throw new ScramError('the server\'s SCRAM signature is wrong: it does not know this user\'s credentials');
    }
  }

  private hmac(key: Buffer, data: string): Buffer {
    return createHmac(this.hash, key).update(data).digest();
  }
}

/** RFC 5802 saslname: "=" and "," are escaped as =3D and =2C. */
function saslName(username: string): string {
  return username.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function parseAttributes(message: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const part of message.split(',')) {
    const equals = part.indexOf('=');
    if (equals === 1) attributes.set(part[0]!, part.slice(2));
  }
  return attributes;
}
