import { AdminError } from './adminError';
import type { SaslCredentials, SaslMechanism, SecurityProtocol, TlsSettings } from './connectionSettings';
import { parseJavaProperties } from './javaProperties';

/**
 * Kafka's client properties (`--command-config FILE` of kafka-topics.sh and friends), turned
 * into our connection settings so users can reuse the files they already have. We take what
 * kafkajs and node:tls can honour: PLAINTEXT/SSL/SASL_*, SASL PLAIN and SCRAM, and PEM trust
 * and key stores (KIP-651). Anything that would change how we connect but that we cannot do
 * (JKS stores, GSSAPI, custom callback handlers) is an error naming the setting, never
 * silently dropped; settings that only tune a Java client are reported as ignored.
 */
export interface CommandConfig {
  securityProtocol: SecurityProtocol;
  sasl?: SaslCredentials;
  tls?: TlsSettings;
  clientId?: string;
  requestTimeoutMs?: number;
  /** Settings we read but do not use, for the CLI to mention on stderr. */
  ignored: string[];
}

export type ReadTextFile = (path: string) => string;

const SECURITY_PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
const LOGIN_MODULE_FOR: Record<SaslMechanism, string> = {
  PLAIN: 'org.apache.kafka.common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'org.apache.kafka.common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'org.apache.kafka.common.security.scram.ScramLoginModule',
};

/** Settings that change how a Java client connects in ways we cannot reproduce. */
const UNSUPPORTED = new Map<string, string>([
  ['sasl.login.callback.handler.class', 'custom SASL login handlers need a JVM'],
  ['sasl.client.callback.handler.class', 'custom SASL callback handlers need a JVM'],
  ['sasl.login.class', 'custom SASL login classes need a JVM'],
  ['ssl.engine.factory.class', 'custom SSL engines need a JVM'],
  ['sasl.kerberos.service.name', 'Kerberos (GSSAPI) is not supported'],
  ['ssl.keymanager.algorithm', 'custom key managers need a JVM'],
  ['ssl.trustmanager.algorithm', 'custom trust managers need a JVM'],
]);

/** Settings that only tune the Java client; reading them is harmless. */
const TUNING = /^(ssl\.(protocol|enabled\.protocols|cipher\.suites|secure\.random\.implementation)|sasl\.login\.refresh\..*|retries|retry\.backoff\.ms|reconnect\.backoff.*|metadata\.max\.age\.ms|connections\.max\.idle\.ms|default\.api\.timeout\.ms|socket\..*|send\.buffer\.bytes|receive\.buffer\.bytes)$/;

const KNOWN = new Set([
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.truststore.password',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.certificate.chain',
  'ssl.keystore.key',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
  'client.id',
  'request.timeout.ms',
]);

export function parseCommandConfig(text: string, source: string, readFile: ReadTextFile): CommandConfig {
  const props = parseJavaProperties(text, source);
  const fail = (message: string): never => {
    throw new AdminError('invalid-input', `${source}: ${message}`);
  };

  for (const [key, why] of UNSUPPORTED) if (props.has(key)) fail(`${key} is not supported: ${why}`);
  const ignored = [...props.keys()].filter((key) => !KNOWN.has(key) && !UNSUPPORTED.has(key)).sort();
  for (const key of ignored) {
    if (!TUNING.test(key) && (key.startsWith('ssl.') || key.startsWith('sasl.') || key.startsWith('security.'))) {
      fail(`${key} is not supported (Samsa reads security.protocol, sasl.mechanism, sasl.jaas.config and the PEM ssl.* settings)`);
    }
  }

  const protocolText = (props.get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocolText)) {
    fail(`security.protocol=${protocolText} is not one of ${SECURITY_PROTOCOLS.join(', ')}`);
  }
  const securityProtocol = protocolText as SecurityProtocol;
  const config: CommandConfig = { securityProtocol, ignored };

  if (securityProtocol === 'SASL_PLAINTEXT' || securityProtocol === 'SASL_SSL') {
    config.sasl = parseSasl(props, fail);
  } else if (props.has('sasl.jaas.config') || props.has('sasl.mechanism')) {
    fail(`sasl.* settings are given but security.protocol=${securityProtocol} does not use SASL (use SASL_PLAINTEXT or SASL_SSL)`);
  }

  if (securityProtocol === 'SSL' || securityProtocol === 'SASL_SSL') {
    config.tls = parseTls(props, readFile, fail);
  } else if ([...props.keys()].some((key) => key.startsWith('ssl.truststore') || key.startsWith('ssl.keystore'))) {
    fail(`ssl.* stores are given but security.protocol=${securityProtocol} does not use TLS (use SSL or SASL_SSL)`);
  }

  const clientId = props.get('client.id');
  if (clientId) config.clientId = clientId;
  const timeout = props.get('request.timeout.ms');
  if (timeout !== undefined) {
    if (!/^\d+$/.test(timeout) || Number(timeout) < 1) fail(`request.timeout.ms=${timeout} is not a positive number of milliseconds`);
    config.requestTimeoutMs = Number(timeout);
  }
  return config;
}

function parseSasl(props: Map<string, string>, fail: (message: string) => never): SaslCredentials {
  const mechanism = (props.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    fail(
      `sasl.mechanism=${mechanism} is not supported (use ${SASL_MECHANISMS.join(', ')})${props.has('sasl.mechanism') ? '' : '; Kafka defaults to GSSAPI when it is not set'}`,
    );
  }
  const jaas = props.get('sasl.jaas.config');
  if (jaas === undefined) return fail(`sasl.mechanism=${mechanism} needs sasl.jaas.config with username and password`);
  const parsed = parseJaasConfig(jaas, fail);
  const expected = LOGIN_MODULE_FOR[mechanism as SaslMechanism];
  if (parsed.loginModule !== expected) {
    fail(`sasl.jaas.config uses ${parsed.loginModule}, but sasl.mechanism=${mechanism} needs ${expected}`);
  }
  const username = parsed.options.get('username');
  const password = parsed.options.get('password');
  if (!username || password === undefined) fail('sasl.jaas.config must set username="..." and password="..."');
  return { mechanism: mechanism as SaslMechanism, username: username!, password: password! };
}

/**
 * One JAAS login entry as Kafka reads it: `<class> <flag> key=value ... ;` where values may be
 * double-quoted (with backslash escapes) or bare words.
 */
export function parseJaasConfig(text: string, fail: (message: string) => never): { loginModule: string; options: Map<string, string> } {
  const tokens: string[] = [];
  let i = 0;
  const source = text.trim();
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
    } else if (char === '"') {
      let value = '';
      i++;
      while (i < source.length && source[i] !== '"') {
        if (source[i] === '\\' && i + 1 < source.length) i++;
        value += source[i++];
      }
      if (source[i] !== '"') fail('sasl.jaas.config has an unterminated quoted value');
      i++;
      tokens.push(`"${value}`);
    } else if (char === '=' || char === ';') {
      tokens.push(char);
      i++;
    } else {
      const start = i;
      while (i < source.length && !/[\s=;"]/.test(source[i]!)) i++;
      tokens.push(source.slice(start, i));
    }
  }
  const [loginModule, flag, ...rest] = tokens;
  if (!loginModule || !flag || !['required', 'requisite', 'sufficient', 'optional'].includes(flag)) {
    fail('sasl.jaas.config must look like `<LoginModule> required username="..." password="...";`');
  }
  if (rest[rest.length - 1] !== ';') fail('sasl.jaas.config must end with a semicolon');
  const options = new Map<string, string>();
  const body = rest.slice(0, -1);
  for (let t = 0; t < body.length; t += 3) {
    const [key, equals, value] = [body[t], body[t + 1], body[t + 2]];
    if (!key || key.startsWith('"') || equals !== '=' || value === undefined || value === '=' || value === ';') {
      fail('sasl.jaas.config options must be key=value or key="value"');
    }
    options.set(key!, value!.startsWith('"') ? value!.slice(1) : value!);
  }
  if (body.includes(';')) fail('sasl.jaas.config may hold only one login module');
  return { loginModule: loginModule!, options };
}

function parseTls(props: Map<string, string>, readFile: ReadTextFile, fail: (message: string) => never): TlsSettings {
  const tls: TlsSettings = { verifyHostname: (props.get('ssl.endpoint.identification.algorithm') ?? 'https') !== '' };
  const read = (key: string): string => {
    const path = props.get(key)!;
    try {
      return readFile(path);
    } catch (error) {
      return fail(`${key}=${path} cannot be read: ${(error as Error).message}`);
    }
  };

  const hasTrust = props.has('ssl.truststore.location') || props.has('ssl.truststore.certificates');
  if (hasTrust) {
    requirePem(props, 'ssl.truststore.type', fail);
    if (props.has('ssl.truststore.password')) fail('ssl.truststore.password cannot be used with a PEM trust store (Kafka refuses it too)');
    const pem = props.has('ssl.truststore.certificates') ? props.get('ssl.truststore.certificates')! : read('ssl.truststore.location');
    if (pemBlocks(pem, 'CERTIFICATE').length === 0) fail('the PEM trust store holds no -----BEGIN CERTIFICATE----- block');
    tls.ca = pem;
  }

  const hasKeystore = props.has('ssl.keystore.location') || props.has('ssl.keystore.key') || props.has('ssl.keystore.certificate.chain');
  if (hasKeystore) {
    requirePem(props, 'ssl.keystore.type', fail);
    if (props.has('ssl.keystore.password')) fail('ssl.keystore.password does not apply to a PEM key store; give the key\'s password as ssl.key.password');
    let certPem: string;
    let keyPem: string;
    if (props.has('ssl.keystore.location')) {
      const pem = read('ssl.keystore.location');
      certPem = pemBlocks(pem, 'CERTIFICATE').join('\n');
      keyPem = pemBlocks(pem, 'PRIVATE KEY').join('\n');
    } else {
      if (!props.has('ssl.keystore.key') || !props.has('ssl.keystore.certificate.chain')) {
        fail('ssl.keystore.key and ssl.keystore.certificate.chain must be given together');
      }
      certPem = props.get('ssl.keystore.certificate.chain')!;
      keyPem = props.get('ssl.keystore.key')!;
    }
    if (!certPem.includes('CERTIFICATE')) fail('the PEM key store holds no certificate');
    if (!/PRIVATE KEY-----/.test(keyPem)) fail('the PEM key store holds no private key');
    tls.cert = certPem;
    tls.key = keyPem;
    const keyPassword = props.get('ssl.key.password');
    if (keyPassword !== undefined) tls.keyPassword = keyPassword;
  }
  return tls;
}

function requirePem(props: Map<string, string>, key: string, fail: (message: string) => never): void {
  // Kafka's default store type is JKS, so a store without an explicit PEM type is a JKS store.
  const type = (props.get(key) ?? 'JKS').toUpperCase();
  if (type !== 'PEM') {
    fail(`${key}=${type} is not supported: convert the store to PEM (keytool -importkeystore ... -deststoretype PKCS12, then openssl pkcs12 -nodes) and set ${key}=PEM`);
  }
}

/** The PEM blocks whose label ends with `label` (CERTIFICATE; PRIVATE KEY covers RSA/EC/ENCRYPTED). */
function pemBlocks(text: string, label: string): string[] {
  const pattern = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
  return [...text.matchAll(pattern)].filter((match) => match[1]!.endsWith(label)).map((match) => match[0]);
}
