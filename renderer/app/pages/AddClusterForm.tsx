import { useId, useState, type FormEvent } from 'react';
import type { CallInput } from '../../../src/api/contract';
import {
  ClusterSettingsSchema,
  SaslMechanismSchema,
  SecurityProtocolSchema,
  splitBootstrapServers,
  type Cluster,
  type SaslMechanism,
  type SecurityProtocol,
} from '../../../src/api/schemas/cluster';
import { useAddCluster } from '../api/hooks';

type Field = 'name' | 'bootstrapServers' | 'security';
type FieldErrors = Partial<Record<Field, string>>;

const PROTOCOL_LABELS: Record<SecurityProtocol, string> = {
  PLAINTEXT: 'PLAINTEXT (no TLS, no authentication)',
  SSL: 'SSL (TLS)',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT (authentication, no TLS)',
  SASL_SSL: 'SASL_SSL (authentication over TLS)',
};

function buildInput(name: string, servers: string, protocol: SecurityProtocol, mechanism: SaslMechanism, username: string): unknown {
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
  return {
    name,
    bootstrapServers: splitBootstrapServers(servers),
    security: usesSasl ? { protocol, sasl: { mechanism, username } } : { protocol },
  };
}

/** Validates with the contract's own schema, so the form and the back end agree on every rule. */
function validate(input: unknown): { input: CallInput<'clusters.add'> } | { errors: FieldErrors } {
  const parsed = ClusterSettingsSchema.safeParse(input);
  if (parsed.success) return { input: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0] as Field;
    errors[field] ??= issue.message;
  }
  return { errors };
}

export function AddClusterForm({ onAdded }: { onAdded: (cluster: Cluster) => void }) {
  const ids = useId();
  const [name, setName] = useState('');
  const [servers, setServers] = useState('');
  const [protocol, setProtocol] = useState<SecurityProtocol>('PLAINTEXT');
  const [mechanism, setMechanism] = useState<SaslMechanism>('SCRAM-SHA-512');
  const [username, setUsername] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const addCluster = useAddCluster();
  const usesSasl = protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const result = validate(buildInput(name, servers, protocol, mechanism, username));
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    addCluster.mutate(result.input, {
      onSuccess: (cluster) => {
        setName('');
        setServers('');
        setProtocol('PLAINTEXT');
        setUsername('');
        onAdded(cluster);
      },
    });
  };

  const describedBy = (field: Field, hint?: string): string | undefined =>
    [errors[field] ? `${ids}-${field}-error` : undefined, hint].filter(Boolean).join(' ') || undefined;

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="panel-title">
        Add a cluster
      </h2>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Name</label>
        <input
          id={`${ids}-name`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="production-eu"
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy('name')}
        />
        {errors.name ? <p id={`${ids}-name-error`} className="field-error">{errors.name}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-servers`}>Bootstrap servers</label>
        <input
          id={`${ids}-servers`}
          value={servers}
          onChange={(event) => setServers(event.target.value)}
          placeholder="broker-1:9092, broker-2:9092"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={errors.bootstrapServers ? true : undefined}
          aria-describedby={describedBy('bootstrapServers', `${ids}-servers-hint`)}
        />
        <p id={`${ids}-servers-hint`} className="field-hint">
          host:port, separated by commas
        </p>
        {errors.bootstrapServers ? <p id={`${ids}-bootstrapServers-error`} className="field-error">{errors.bootstrapServers}</p> : null}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-protocol`}>Security protocol</label>
        <select id={`${ids}-protocol`} value={protocol} onChange={(event) => setProtocol(SecurityProtocolSchema.parse(event.target.value))}>
          {SecurityProtocolSchema.options.map((option) => (
            <option key={option} value={option}>
              {PROTOCOL_LABELS[option]}
            </option>
          ))}
        </select>
      </div>
      {usesSasl ? (
        <div className="field-row">
          <div className="field">
            <label htmlFor={`${ids}-mechanism`}>SASL mechanism</label>
            <select id={`${ids}-mechanism`} value={mechanism} onChange={(event) => setMechanism(SaslMechanismSchema.parse(event.target.value))}>
              {SaslMechanismSchema.options.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${ids}-username`}>SASL username</label>
            <input
              id={`${ids}-username`}
              value={username}
              onChange={(event) => setUsername(event.target.value)}
              autoComplete="off"
              aria-invalid={errors.security ? true : undefined}
              aria-describedby={describedBy('security')}
            />
          </div>
        </div>
      ) : null}
      {errors.security ? <p id={`${ids}-security-error`} className="field-error">{errors.security}</p> : null}
      {usesSasl ? (
        <p className="note" role="note">
          Passwords are not saved yet. Samsa keeps connection settings in a plain JSON file, so it stores no secrets until the desktop app can keep them in the
          operating system’s keychain.
        </p>
      ) : null}
      {addCluster.isError ? (
        <p className="form-error" role="alert">
          {addCluster.error.message}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={addCluster.isPending}>
          {addCluster.isPending ? 'Saving…' : 'Save cluster'}
        </button>
      </div>
    </form>
  );
}
