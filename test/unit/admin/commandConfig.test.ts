import { describe, expect, it } from 'vitest';
import { parseCommandConfig } from '../../../src/admin/commandConfig';
import { parseJavaProperties } from '../../../src/admin/javaProperties';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBca\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEkey\n-----END PRIVATE KEY-----\n';
const files: Record<string, string> = { '/certs/ca.pem': CA, '/certs/client.pem': `${KEY}${CA}`, '/certs/empty.pem': 'nothing here' };
const readFile = (path: string): string => {
  const text = files[path];
  if (text === undefined) throw new Error(`ENOENT: no such file '${path}'`);
  return text;
};
const parse = (text: string) => parseCommandConfig(text, 'client.properties', readFile);

describe('Java properties files', () => {
  it('reads =, : and blank separators, comments, continuations and escapes as java.util.Properties does', () => {
    const props = parseJavaProperties(
      [
        '# comment',
        '! also a comment',
        'a=1',
        'b : 2',
        'c 3',
        '  d=spaced value  ',
        'e=first \\',
        '    second',
        'f=tab\\there\\u0041',
        'g\\=key=v',
        'empty=',
      ].join('\n'),
    );
    expect(Object.fromEntries(props)).toEqual({ a: '1', b: '2', c: '3', d: 'spaced value  ', e: 'first second', f: 'tab\thereA', 'g=key': 'v', empty: '' });
  });

  it('rejects a malformed unicode escape, naming the line', () => {
    expect(() => parseJavaProperties('ok=1\nbad=\\u12', 'x.properties')).toThrow(/x.properties line 2: malformed \\u escape/);
  });
});

describe('--command-config', () => {
  it('defaults to PLAINTEXT with nothing set', () => {
    expect(parse('')).toEqual({ securityProtocol: 'PLAINTEXT', ignored: [] });
  });

  it('reads SASL_SSL with SCRAM credentials from sasl.jaas.config and a PEM trust store file', () => {
    const config = parse(
      [
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
        // In the file: p\\"w. The properties layer makes that p\"w, which JAAS reads as an escaped quote.
        '  username="alice" password="p\\\\"w=;d";',
        'ssl.truststore.type=PEM',
        'ssl.truststore.location=/certs/ca.pem',
      ].join('\n'),
    );
    expect(config.securityProtocol).toBe('SASL_SSL');
    expect(config.sasl).toEqual({ mechanism: 'SCRAM-SHA-512', username: 'alice', password: 'p"w=;d' });
    expect(config.tls).toEqual({ verifyHostname: true, ca: CA });
  });

  it('reads PLAIN with unquoted values', () => {
    const config = parse('security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=bob password=secret;');
    expect(config.sasl).toEqual({ mechanism: 'PLAIN', username: 'bob', password: 'secret' });
    expect(config.tls).toBeUndefined();
  });

  it('splits a PEM key store file into certificate and key, with the key password, and honours disabled hostname checks', () => {
    const config = parse(
      'security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=/certs/client.pem\nssl.key.password=kp\nssl.endpoint.identification.algorithm=\nclient.id=ops\nrequest.timeout.ms=5000',
    );
    expect(config.tls).toEqual({ verifyHostname: false, cert: CA.trim(), key: KEY.trim(), keyPassword: 'kp' });
    expect(config.clientId).toBe('ops');
    expect(config.requestTimeoutMs).toBe(5000);
  });

  it('reports Java-only tuning settings as ignored instead of failing', () => {
    expect(parse('ssl.enabled.protocols=TLSv1.3\nsecurity.protocol=SSL\nretries=3').ignored).toEqual(['retries', 'ssl.enabled.protocols']);
  });

  it.each([
    ['security.protocol=SASL_SSL\nsasl.mechanism=GSSAPI', /sasl.mechanism=GSSAPI is not supported/],
    ['security.protocol=SASL_PLAINTEXT', /sasl.mechanism=GSSAPI is not supported .*Kafka defaults to GSSAPI/],
    ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN', /needs sasl.jaas.config/],
    [
      'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="a" password="b";',
      /uses .*ScramLoginModule, but sasl.mechanism=PLAIN needs .*PlainLoginModule/,
    ],
    ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b"', /must end with a semicolon/],
    ['security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="a";', /must set username.*password/],
    ['security.protocol=SSL\nssl.truststore.location=/certs/ca.jks\nssl.truststore.password=x', /ssl.truststore.type=JKS is not supported: convert the store to PEM/],
    ['security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/certs/missing.pem', /ssl.truststore.location=\/certs\/missing.pem cannot be read/],
    ['security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/certs/empty.pem', /holds no -----BEGIN CERTIFICATE/],
    ['security.protocol=SSL\nssl.truststore.type=PEM\nssl.truststore.location=/certs/ca.pem\nssl.truststore.password=x', /ssl.truststore.password cannot be used with a PEM trust store/],
    ['security.protocol=PLAINTEXT\nsasl.mechanism=PLAIN', /does not use SASL/],
    ['security.protocol=PLAINTEXT\nssl.truststore.location=/certs/ca.pem', /does not use TLS/],
    ['security.protocol=TLS', /security.protocol=TLS is not one of/],
    ['security.protocol=SSL\nssl.engine.factory.class=x.Y', /ssl.engine.factory.class is not supported/],
    ['security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.key=abc', /must be given together/],
    ['request.timeout.ms=soon', /request.timeout.ms=soon is not a positive number/],
  ])('refuses %j with a clear error', (text, message) => {
    expect(() => parse(text)).toThrow(message);
  });

  it('names the file in every error', () => {
    expect(() => parse('security.protocol=TLS')).toThrow(/^client.properties: /);
  });
});
