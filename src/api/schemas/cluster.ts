import { z } from 'zod';

/**
 * A saved cluster connection: what the user types into the add-cluster form, what the API
 * validates, and what is written to clusters.json. The renderer validates its form with these
 * same schemas, so the form and the back end cannot disagree about what is valid.
 *
 * No schema here has a password field, and every object is strict: a secret sent by mistake
 * is rejected as an unrecognised key instead of landing in a plain JSON file. Passwords will
 * get their own call once the desktop app keeps them in the OS keychain.
 */

// host:port, where host is a DNS name, an IPv4 address or a bracketed IPv6 address, the form
// Kafka's bootstrap.servers uses.
const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?):(\d{1,5})$/;

export const BootstrapServerSchema = z
  .string()
  .trim()
  .refine((value) => {
    const port = HOST_PORT.exec(value)?.[2];
    return port !== undefined && Number(port) >= 1 && Number(port) <= 65535;
  }, { error: (issue) => `"${String(issue.input)}" is not host:port (for example localhost:9092)` });

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

// Kafka's security.protocol values; SASL settings exist exactly when the protocol uses SASL.
export const SecuritySettingsSchema = z.discriminatedUnion('protocol', [
  z.strictObject({ protocol: z.literal('PLAINTEXT') }),
  z.strictObject({ protocol: z.literal('SSL') }),
  z.strictObject({ protocol: z.literal('SASL_PLAINTEXT'), sasl: SaslSettingsSchema }),
  z.strictObject({ protocol: z.literal('SASL_SSL'), sasl: SaslSettingsSchema }),
]);

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
