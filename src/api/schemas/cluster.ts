import { z } from 'zod';
import { splitHostPort } from '../../admin/hostPort';

/**
 * A saved cluster connection: what the user types into the add-cluster form, what the API
 * validates, and what is written to clusters.json. The renderer validates its form with these
 * same schemas, so the form and the back end cannot disagree about what is valid.
 *
 * No settings schema has a password field, and every object is strict: a secret sent by
 * mistake is rejected as an unrecognised key instead of landing in a plain JSON file.
 * Passwords travel separately (ClusterSecretsSchema) and are kept by the secret store
 * (src/app/secretStore.ts), never in clusters.json.
 */

export const BootstrapServerSchema = z
  .string()
  .trim()
  .refine((value) => splitHostPort(value) !== null, { error: (issue) => `"${String(issue.input)}" is not host:port (for example localhost:9092)` });

export const BootstrapServersSchema = z
  .array(BootstrapServerSchema)
  .min(1, { error: 'Enter at least one bootstrap server' })
  .max(64, { error: 'At most 64 bootstrap servers' });

export const ClusterNameSchema = z
  .string()
  .trim()
  .min(1, { error: 'Enter a name' })
  .max(80, { error: 'Keep the name under 80 characters' });

// The mechanisms kafkajs supports for username/password authentication (KIP-43, KIP-84).
export const SaslMechanismSchema = z.enum(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']);

export const SaslSettingsSchema = z.strictObject({
  mechanism: SaslMechanismSchema,
  username: z.string().trim().min(1, { error: 'Enter the SASL username' }).max(256),
});

export const SecurityProtocolSchema = z.enum(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);

const PemFileSchema = z.string().trim().min(1).max(4096);

/**
 * TLS files by path, as Kafka's ssl.truststore.location / ssl.keystore.location with
 * type PEM: the key stays in its file, and only its passphrase is a secret Samsa keeps.
 */
export const TlsSettingsSchema = z
  .strictObject({
    caFile: PemFileSchema.optional(),
    certFile: PemFileSchema.optional(),
    keyFile: PemFileSchema.optional(),
    /** Kafka's ssl.endpoint.identification.algorithm=https (true) or empty (false). */
    verifyHostname: z.boolean(),
  })
  .refine((tls) => (tls.certFile === undefined) === (tls.keyFile === undefined), { error: 'Give both the client certificate and its key file, or neither' });

// Kafka's security.protocol values; SASL settings exist exactly when the protocol uses SASL.
export const SecuritySettingsSchema = z.discriminatedUnion('protocol', [
  z.strictObject({ protocol: z.literal('PLAINTEXT') }),
  z.strictObject({ protocol: z.literal('SSL'), tls: TlsSettingsSchema.optional() }),
  z.strictObject({ protocol: z.literal('SASL_PLAINTEXT'), sasl: SaslSettingsSchema }),
  z.strictObject({ protocol: z.literal('SASL_SSL'), sasl: SaslSettingsSchema, tls: TlsSettingsSchema.optional() }),
]);

const SecretSchema = z.string().min(1).max(4096);

/** What a saved cluster needs besides its settings; never written to clusters.json. */
export const ClusterSecretsSchema = z.strictObject({
  saslPassword: SecretSchema.optional(),
  tlsKeyPassphrase: SecretSchema.optional(),
});

/** On update: a string replaces the secret, null forgets it, absent keeps it. */
export const ClusterSecretChangesSchema = z.strictObject({
  saslPassword: SecretSchema.nullable().optional(),
  tlsKeyPassphrase: SecretSchema.nullable().optional(),
});

export const ClusterIdSchema = z.uuid({ error: 'Not a cluster id' });

export const ClusterSettingsSchema = z.strictObject({
  name: ClusterNameSchema,
  bootstrapServers: BootstrapServersSchema,
  security: SecuritySettingsSchema,
});

export const ClusterSchema = ClusterSettingsSchema.extend({
  id: ClusterIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

/** Which secrets the store holds for a saved cluster (never the secrets themselves). */
export interface SecretsSaved {
  readonly saslPassword: boolean;
  readonly tlsKeyPassphrase: boolean;
}

/** clusters.test: what a connection attempt found, or why it failed, in words a user can act on. */
export type ConnectionTestResult =
  | { readonly ok: true; readonly clusterId: string | null; readonly brokers: number; readonly controllerId: number | null; readonly elapsedMs: number }
  | { readonly ok: false; readonly problem: 'unreachable' | 'auth-failed' | 'tls-failed' | 'timeout' | 'invalid-settings' | 'other'; readonly message: string };

export type TlsSettings = z.infer<typeof TlsSettingsSchema>;
export type ClusterSecrets = z.infer<typeof ClusterSecretsSchema>;
export type SecurityProtocol = z.infer<typeof SecurityProtocolSchema>;
export type SaslMechanism = z.infer<typeof SaslMechanismSchema>;
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;
export type ClusterSettings = z.infer<typeof ClusterSettingsSchema>;
export type ClusterId = z.infer<typeof ClusterIdSchema>;
export type Cluster = z.infer<typeof ClusterSchema>;

/** Splits what a user types ("a:9092, b:9092" or one per line) into the list the schema checks. */
export function splitBootstrapServers(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
