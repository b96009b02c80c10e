import { useId, useState, type FormEvent } from 'react';
import type { CallInput } from '../../../src/api/contract';
import {
  ClusterSettingsSchema,
  SaslMechanismSchema,
  SecurityProtocolSchema,
  splitBootstrapServers,
  type Cluster,
  type ClusterSettings,
  type ConnectionTestResult,
  type SaslMechanism,
  type SecurityProtocol,
} from '../../../src/api/schemas/cluster';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useAddCluster, useAppInfo, useTestConnection, useUpdateCluster } from '../api/hooks';

type SavedCluster = Extract<ClusterEntry, { kind: 'saved' }>;
type Field = 'name' | 'bootstrapServers' | 'security' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

const PROTOCOL_LABELS: Record<SecurityProtocol, string> = {
  PLAINTEXT: 'PLAINTEXT (no TLS, no authentication)',
  SSL: 'SSL (TLS)',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT (authentication, no TLS)',
  SASL_SSL: 'SASL_SSL (authentication over TLS)',
};

interface FormState {
  name: string;
  servers: string;
  protocol: SecurityProtocol;
  mechanism: SaslMechanism;
  username: string;
  password: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  keyPassphrase: string;
  verifyHostname: boolean;
}

const EMPTY: FormState = {
  name: '',
  servers: '',
  protocol: 'PLAINTEXT',
  mechanism: 'SCRAM-SHA-512',
  username: '',
  password: '',
  caFile: '',
  certFile: '',
  keyFile: '',
  keyPassphrase: '',
  verifyHostname: true,
};

function stateOf(cluster: SavedCluster): FormState {
  const { security } = cluster;
  const tls = security.protocol === 'SSL' || security.protocol === 'SASL_SSL' ? security.tls : undefined;
  return {
    ...EMPTY,
    name: cluster.name,
    servers: cluster.bootstrapServers.join(', '),
    protocol: security.protocol,
    ...(security.protocol === 'SASL_PLAINTEXT' || security.protocol === 'SASL_SSL' ? { mechanism: security.sasl.mechanism, username: security.sasl.username } : {}),
    caFile: tls?.caFile ?? '',
    certFile: tls?.certFile ?? '',
    keyFile: tls?.keyFile ?? '',
    verifyHostname: tls?.verifyHostname ?? true,
  };
}

const usesSasl = (protocol: SecurityProtocol) => protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
const usesTls = (protocol: SecurityProtocol) => protocol === 'SSL' || protocol === 'SASL_SSL';

function buildSettings(form: FormState): unknown {
  const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
  const tlsFiles = { caFile: optional(form.caFile), certFile: optional(form.certFile), keyFile: optional(form.keyFile) };
  const hasTls = Object.values(tlsFiles).some((value) => value !== undefined) || !form.verifyHostname;
  const tls = hasTls ? { tls: { ...Object.fromEntries(Object.entries(tlsFiles).filter(([, value]) => value !== undefined)), verifyHostname: form.verifyHostname } } : {};
  const sasl = { sasl: { mechanism: form.mechanism, username: form.username } };
  const security =
    form.protocol === 'PLAINTEXT'
      ? { protocol: form.protocol }
      : form.protocol === 'SSL'
        ? { protocol: form.protocol, ...tls }
        : form.protocol === 'SASL_PLAINTEXT'
          ? { protocol: form.protocol, ...sasl }
          : { protocol: form.protocol, ...sasl, ...tls };
  return { name: form.name, bootstrapServers: splitBootstrapServers(form.servers), security };
}

/** Validates with the contract's own schema, so the form and the back end agree on every rule. */
function validate(input: unknown): { settings: ClusterSettings } | { errors: FieldErrors } {
  const parsed = ClusterSettingsSchema.safeParse(input);
  if (parsed.success) return { settings: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field;
    errors[field] ??= issue.message;
  }
  return { errors };
}

function secretsOf(form: FormState): { saslPassword?: string; tlsKeyPassphrase?: string } {
  return {
    ...(usesSasl(form.protocol) && form.password !== '' ? { saslPassword: form.password } : {}),
    ...(usesTls(form.protocol) && form.keyPassphrase !== '' ? { tlsKeyPassphrase: form.keyPassphrase } : {}),
  };
}

function TestResult({ result }: { result: ConnectionTestResult }) {
  if (result.ok) {
    return (
      <p className="test-result test-ok" role="status">
        Connected{result.clusterId ? ` to cluster ${result.clusterId}` : ''}: {result.brokers === 1 ? '1 broker' : `${result.brokers} brokers`}
        {result.controllerId === null ? '' : `, controller ${result.controllerId}`} ({result.elapsedMs} ms). Nothing was saved.
      </p>
    );
  }
  const title: Record<typeof result.problem, string> = {
    unreachable: 'Unreachable',
    'auth-failed': 'Bad credentials',
    'tls-failed': 'TLS failure',
    timeout: 'Timed out',
    'invalid-settings': 'Settings problem',
    other: 'Connection failed',
  };
  return (
    <p className="test-result test-failed" role="alert">
      <strong>{title[result.problem]}.</strong> {result.message}
    </p>
  );
}

/**
 * Adds a cluster, or edits a saved one (`cluster`), with a connection test that uses exactly
 * what the form holds without saving it. Passwords go to the secret store, never to
 * clusters.json; when editing, a blank password keeps the saved one.
 */
export function ClusterForm({ cluster, onSaved, onCancel }: { cluster?: SavedCluster; onSaved: (cluster: Cluster) => void; onCancel?: () => void }) {
  const ids = useId();
  const editing = cluster !== undefined;
  const [form, setForm] = useState<FormState>(cluster === undefined ? EMPTY : stateOf(cluster));
  const [errors, setErrors] = useState<FieldErrors>({});
  const addCluster = useAddCluster();
  const updateCluster = useUpdateCluster();
  const test = useTestConnection();
  const info = useAppInfo();
  const save = editing ? updateCluster : addCluster;
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => {
    setForm((current) => ({ ...current, [key]: value }));
    setErrors({});
    test.reset();
  };
  const passwordSaved = cluster?.secretsSaved.saslPassword ?? false;
  const passphraseSaved = cluster?.secretsSaved.tlsKeyPassphrase ?? false;

  const checked = (): ClusterSettings | null => {
    const result = validate(buildSettings(form));
    const next: FieldErrors = 'errors' in result ? result.errors : {};
    if (usesSasl(form.protocol) && form.password === '' && !passwordSaved) next.password = 'Enter the SASL password';
    setErrors(next);
    return 'settings' in result && Object.keys(next).length === 0 ? result.settings : null;
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const settings = checked();
    if (settings === null) return;
    const secrets = secretsOf(form);
    if (cluster === undefined) {
      const input: CallInput<'clusters.add'> = { ...settings, ...(Object.keys(secrets).length > 0 ? { secrets } : {}) };
      addCluster.mutate(input, {
        onSuccess: (saved) => {
          setForm(EMPTY);
          test.reset();
          onSaved(saved);
        },
      });
    } else {
      updateCluster.mutate(
        {
          id: cluster.id,
          changes: settings,
          // Secrets of a protocol no longer used are forgotten rather than kept unseen.
          secrets: {
            ...(usesSasl(form.protocol) ? (secrets.saslPassword ? { saslPassword: secrets.saslPassword } : {}) : { saslPassword: null }),
            ...(usesTls(form.protocol) ? (secrets.tlsKeyPassphrase ? { tlsKeyPassphrase: secrets.tlsKeyPassphrase } : {}) : { tlsKeyPassphrase: null }),
          },
        },
        { onSuccess: onSaved },
      );
    }
  };

  const runTest = () => {
    const settings = checked();
    if (settings === null) return;
    const secrets = secretsOf(form);
    test.mutate({ settings, ...(cluster === undefined ? {} : { id: cluster.id }), ...(Object.keys(secrets).length > 0 ? { secrets } : {}) });
  };

  const describedBy = (field: Field, hint?: string): string | undefined =>
    [errors[field] ? `${ids}-${field}-error` : undefined, hint].filter(Boolean).join(' ') || undefined;
  const fieldError = (field: Field) =>
    errors[field] ? (
      <p id={`${ids}-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    ) : null;

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="panel-title">
        {editing ? `Edit ${cluster.name}` : 'Add a cluster'}
      </h2>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          value={form.name}
          onChange={(event) => set('name', event.target.value)}
          placeholder="production-eu"
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy('name')}
        />
        {fieldError('name')}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-servers`}>Bootstrap servers</label>
        <input
          id={`${ids}-servers`}
          value={form.servers}
          onChange={(event) => set('servers', event.target.value)}
          placeholder="broker-1:9092, broker-2:9092"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.bootstrapServers ? true : undefined}
          aria-describedby={describedBy('bootstrapServers', `${ids}-servers-hint`)}
        />
        <p id={`${ids}-servers-hint`} className="field-hint">
          host:port, separated by commas
        </p>
        {fieldError('bootstrapServers')}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-protocol`}>Security protocol</label>
        <select id={`${ids}-protocol`} value={form.protocol} onChange={(event) => set('protocol', SecurityProtocolSchema.parse(event.target.value))}>
          {SecurityProtocolSchema.options.map((option) => (
            <option key={option} value={option}>
              {PROTOCOL_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
      {usesSasl(form.protocol) ? (
        <>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${ids}-mechanism`}>SASL mechanism</label>
              <select id={`${ids}-mechanism`} value={form.mechanism} onChange={(event) => set('mechanism', SaslMechanismSchema.parse(event.target.value))}>
                {SaslMechanismSchema.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-username`}>SASL username</label>
              <input id={`${ids}-username`} value={form.username} onChange={(event) => set('username', event.target.value)} autoComplete="off" aria-invalid={errors.security ? true : undefined} />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-password`}>SASL password</label>
            <input
              id={`${ids}-password`}
              type="password"
              value={form.password}
              onChange={(event) => set('password', event.target.value)}
              autoComplete="new-password"
              placeholder={passwordSaved ? 'Saved: leave blank to keep it' : undefined}
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy('password', `${ids}-secret-note`)}
            />
            {fieldError('password')}
          </div>
        </>
      ) : null}
      {usesTls(form.protocol) ? (
        <fieldset className="fieldset">
          <legend>TLS (PEM files, optional)</legend>
          <div className="field">
            <label htmlFor={`${ids}-ca`}>CA certificate file</label>
            <input id={`${ids}-ca`} value={form.caFile} onChange={(event) => set('caFile', event.target.value)} placeholder="/etc/kafka/ca.pem (system CAs when blank)" spellCheck={false} />
          </div>
          <div className="field-row">
            <div className="field">
              <label htmlFor={`${ids}-cert`}>Client certificate file</label>
              <input id={`${ids}-cert`} value={form.certFile} onChange={(event) => set('certFile', event.target.value)} spellCheck={false} />
            </div>
            <div className="field">
              <label htmlFor={`${ids}-key`}>Client key file</label>
              <input id={`${ids}-key`} value={form.keyFile} onChange={(event) => set('keyFile', event.target.value)} spellCheck={false} />
            </div>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-passphrase`}>Key passphrase</label>
            <input
              id={`${ids}-passphrase`}
              type="password"
              value={form.keyPassphrase}
              onChange={(event) => set('keyPassphrase', event.target.value)}
              autoComplete="new-password"
              placeholder={passphraseSaved ? 'Saved: leave blank to keep it' : undefined}
              aria-describedby={`${ids}-secret-note`}
            />
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={form.verifyHostname} onChange={(event) => set('verifyHostname', event.target.checked)} />
            Verify the broker’s hostname against its certificate
          </label>
        </fieldset>
      ) : null}
      {fieldError('security')}
      {info.data ? (
        <p id={`${ids}-secret-note`} className="note" role="note" aria-label="Where passwords are kept">
          {info.data.secretStorage.description}
        </p>
      ) : null}
      {test.data ? <TestResult result={test.data} /> : null}
      {test.isError ? (
        <p className="form-error" role="alert">
          {test.error.message}
        </p>
      ) : null}
      {save.isError ? (
        <p className="form-error" role="alert">
          {save.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button" onClick={runTest} disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </button>
        {onCancel ? (
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="button button-primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : editing ? 'Save changes' : 'Save cluster'}
        </button>
      </div>
    </form>
  );
}
