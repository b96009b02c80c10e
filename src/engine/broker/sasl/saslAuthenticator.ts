import { timingSafeEqual } from 'node:crypto';
import { ScramError, ScramExchange, scramCredential, type ScramCredential, type ScramMechanism } from './scramServer';

export type SaslMechanism = 'PLAIN' | ScramMechanism;
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export interface SaslSettings {
  /** Mechanisms clients may use. */
  mechanisms: SaslMechanism[];
  /** user -> password. Kept for PLAIN; SCRAM keeps only derived keys. */
  users: Record<string, string>;
}

type Step =
  | { kind: 'need-handshake' }
  | { kind: 'handshaken'; mechanism: SaslMechanism; rawTokens: boolean; scram?: ScramExchange }
  | { kind: 'authenticated'; user: string }
  | { kind: 'failed' };

export type AuthenticateOutcome = { ok: true; response: Buffer; complete: boolean } | { ok: false; message: string };

/**
 * SASL on the broker's listener (KIP-43, KIP-152): each connection must complete a
 * SaslHandshake and its token exchange before any other request but ApiVersions. Tokens
 * come either in SaslAuthenticate requests (handshake v1) or, after a v0 handshake, as raw
 * size-prefixed frames, which older clients send.
 */
export class SaslAuthenticator {
  private readonly connections = new Map<number, Step>();
  private readonly scram = new Map<string, ScramCredential>();

  constructor(private readonly settings: SaslSettings) {
    for (const [user, password] of Object.entries(settings.users)) {
      for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
        if (settings.mechanisms.includes(mechanism)) this.scram.set(`${mechanism}:${user}`, scramCredential(mechanism, password));
      }
    }
  }

  get mechanisms(): readonly SaslMechanism[] {
    return this.settings.mechanisms;
  }

  private step(connectionId: number): Step {
    return this.connections.get(connectionId) ?? { kind: 'need-handshake' };
  }

  isAuthenticated(connectionId: number): boolean {
    return this.step(connectionId).kind === 'authenticated';
  }

  hasFailed(connectionId: number): boolean {
    return this.step(connectionId).kind === 'failed';
  }

  /** After a v0 handshake the next frames are bare SASL tokens, not Kafka requests. */
  expectsRawToken(connectionId: number): boolean {
    const step = this.step(connectionId);
    return step.kind === 'handshaken' && step.rawTokens;
  }

  handshake(connectionId: number, mechanism: string, version: number): boolean {
    if (this.step(connectionId).kind !== 'need-handshake') return false;
    if (!(this.settings.mechanisms as readonly string[]).includes(mechanism)) return false;
    const chosen = mechanism as SaslMechanism;
    const scram = chosen === 'PLAIN' ? undefined : new ScramExchange(chosen, (user) => this.scram.get(`${chosen}:${user}`));
    this.connections.set(connectionId, { kind: 'handshaken', mechanism: chosen, rawTokens: version === 0, ...(scram ? { scram } : {}) });
    return true;
  }

  authenticate(connectionId: number, token: Buffer): AuthenticateOutcome {
    const step = this.step(connectionId);
    if (step.kind !== 'handshaken') {
      this.connections.set(connectionId, { kind: 'failed' });
      return { ok: false, message: 'SaslAuthenticate before a successful SaslHandshake' };
    }
    try {
      if (step.mechanism === 'PLAIN') {
        const user = this.checkPlain(token);
        this.connections.set(connectionId, { kind: 'authenticated', user });
        return { ok: true, response: Buffer.alloc(0), complete: true };
      }
      const response = step.scram!.respond(token);
      if (step.scram!.finished) this.connections.set(connectionId, { kind: 'authenticated', user: step.scram!.user });
      return { ok: true, response, complete: step.scram!.finished };
    } catch (error) {
      this.connections.set(connectionId, { kind: 'failed' });
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  }

  /** PLAIN (RFC 4616): authzid NUL authcid NUL password. */
  private checkPlain(token: Buffer): string {
    const parts = token.toString('utf8').split('\u0000');
    if (parts.length !== 3) throw new ScramError('PLAIN token is malformed');
    const [authzid, user, password] = parts as [string, string, string];
    if (authzid !== '' && authzid !== user) throw new ScramError(`User "${user}" may not act as "${authzid}"`);
    const expected = this.settings.users[user];
    const given = Buffer.from(password);
    if (expected === undefined || given.length !== Buffer.byteLength(expected) || !timingSafeEqual(given, Buffer.from(expected))) {
      throw new ScramError(`Authentication failed for user "${user}"`);
    }
    return user;
  }

  forget(connectionId: number): void {
    this.connections.delete(connectionId);
  }
}
