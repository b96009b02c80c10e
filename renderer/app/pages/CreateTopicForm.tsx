import { useId, useState, type FormEvent } from 'react';
import type { CallResult } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { CreateTopicSchema } from '../../../src/api/schemas/topics';
import { useCreateTopic } from '../api/clusterHooks';

type Field = 'name' | 'partitions' | 'replicationFactor' | 'configs';

const CLEANUP_POLICIES = ['delete', 'compact', 'compact,delete'] as const;

/**
 * New topic: name, partitions, replication factor and the configs people set most at
 * creation. Validated with the contract's own schema; blank configs take the broker's default.
 */
export function CreateTopicForm({ clusterId, defaultReplicationFactor, onDone }: { clusterId: ClusterRef; defaultReplicationFactor: number; onDone: (result: CallResult<'topics.create'> | null) => void }) {
  const ids = useId();
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('3');
  const [replicationFactor, setReplicationFactor] = useState(String(defaultReplicationFactor));
  const [cleanupPolicy, setCleanupPolicy] = useState('');
  const [retentionHours, setRetentionHours] = useState('');
  const [minIsr, setMinIsr] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const create = useCreateTopic();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const configs: Record<string, string> = {};
    if (cleanupPolicy !== '') configs['cleanup.policy'] = cleanupPolicy;
    if (retentionHours.trim() !== '') configs['retention.ms'] = String(Math.round(Number(retentionHours) * 3_600_000));
    if (minIsr.trim() !== '') configs['min.insync.replicas'] = minIsr.trim();
    const parsed = CreateTopicSchema.safeParse({ clusterId, name: name.trim(), partitions: Number(partitions), replicationFactor: Number(replicationFactor), configs });
    const found: Partial<Record<Field, string>> = {};
    if (retentionHours.trim() !== '' && !(Number(retentionHours) > 0)) found.configs = 'Retention is a number of hours above 0';
    if (minIsr.trim() !== '' && !/^[1-9]\d*$/.test(minIsr.trim())) found.configs = 'min.insync.replicas is a whole number of at least 1';
    if (!parsed.success) for (const issue of parsed.error.issues) found[issue.path[0] as Field] ??= issue.message;
    setErrors(found);
    if (!parsed.success || Object.keys(found).length > 0) return;
    create.mutate(parsed.data, { onSuccess: (result) => onDone(result) });
  };

  const error = (field: Field) =>
    errors[field] === undefined ? null : (
      <p id={`${ids}-${field}-error`} className="field-error">
        {errors[field]}
      </p>
    );
  const invalid = (field: Field) => ({
    'aria-invalid': errors[field] === undefined ? undefined : true,
    'aria-describedby': errors[field] === undefined ? undefined : `${ids}-${field}-error`,
  });

  return (
    <form className="form create-topic" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`} className="panel-title">
        Create a topic
      </h2>
      <div className="field">
        <label htmlFor={`${ids}-name`}>Topic name</label>
        <input id={`${ids}-name`} value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" spellCheck={false} autoFocus {...invalid('name')} />
        {error('name')}
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-partitions`}>Partitions</label>
          <input id={`${ids}-partitions`} type="number" min={1} value={partitions} onChange={(event) => setPartitions(event.target.value)} {...invalid('partitions')} />
          {error('partitions')}
        </div>
        <div className="field">
          <label htmlFor={`${ids}-rf`}>Replication factor</label>
          <input id={`${ids}-rf`} type="number" min={1} value={replicationFactor} onChange={(event) => setReplicationFactor(event.target.value)} {...invalid('replicationFactor')} />
          {error('replicationFactor')}
        </div>
      </div>
      <div className="field-row three">
        <div className="field">
          <label htmlFor={`${ids}-cleanup`}>cleanup.policy</label>
          <select id={`${ids}-cleanup`} value={cleanupPolicy} onChange={(event) => setCleanupPolicy(event.target.value)}>
            <option value="">Broker default</option>
            {CLEANUP_POLICIES.map((policy) => (
              <option key={policy} value={policy}>
                {policy}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-retention`}>Retention (hours)</label>
          <input id={`${ids}-retention`} inputMode="decimal" placeholder="Broker default" value={retentionHours} onChange={(event) => setRetentionHours(event.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${ids}-minisr`}>min.insync.replicas</label>
          <input id={`${ids}-minisr`} inputMode="numeric" placeholder="Broker default" value={minIsr} onChange={(event) => setMinIsr(event.target.value)} />
        </div>
      </div>
      {error('configs')}
      {create.isError ? (
        <p className="form-error" role="alert">
          {create.error.message}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="button" className="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create topic'}
        </button>
      </div>
    </form>
  );
}
