import { describe, expect, it } from 'vitest';
import { ScramClient } from '../../../src/admin/scram';

// The example exchange of RFC 7677 section 3 (user "user", password "pencil", SCRAM-SHA-256).
const CLIENT_NONCE = 'rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

describe('SCRAM client', () => {
  it('produces the messages of RFC 7677 and accepts its server signature', () => {
    const client = new ScramClient('sha256', 'user', 'pencil', CLIENT_NONCE);
    expect(client.clientFirst()).toBe(`n,,n=user,r=${CLIENT_NONCE}`);
    expect(client.clientFinal(SERVER_FIRST)).toBe(CLIENT_FINAL);
    expect(() => client.verifyServerFinal(SERVER_FINAL)).not.toThrow();
  });

  it('rejects a server signature made without the password', () => {
    const client = new ScramClient('sha256', 'user', 'pencil', CLIENT_NONCE);
    client.clientFinal(SERVER_FIRST);
    expect(() => client.verifyServerFinal('v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toThrow(/does not know this user's credentials/);
  });

  it('rejects a server nonce that does not extend ours, and reports server errors', () => {
    const client = new ScramClient('sha512', 'user', 'pencil', CLIENT_NONCE);
    expect(() => client.clientFinal('r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow(/does not extend ours/);
    expect(() => client.clientFinal('e=unknown-user')).toThrow(/refused SCRAM: unknown-user/);
  });

  it('escapes = and , in the user name (RFC 5802 saslname)', () => {
    expect(new ScramClient('sha256', 'a=b,c', 'x', 'n').clientFirst()).toBe('n,,n=a=3Db=2Cc,r=n');
  });
});
