import { useId, useState, type FormEvent } from 'react';
import type { CallResult } from '../../../../src/api/contract';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import { ProduceMessageSchema } from '../../../../src/api/schemas/topicData';
import { useProduceMessage } from '../../api/topicDataHooks';
import { CommandBlock } from '../../components/CommandBlock';

interface HeaderDraft {
  readonly id: number;
  readonly key: string;
  readonly value: string;
}

/**
 * One message to a topic: a partition or the producer's partitioner, key, value, headers. The
 * "value is JSON" check uses the contract's own schema, so the form and the back end refuse
 * the same inputs; an empty key is sent as no key (null), as the console producer does.
 */
export function ProduceForm({ clusterId, topic, partitions, onClose }: { clusterId: ClusterRef; topic: string; partitions: number; onClose: () => void }) {
  const ids = useId();
  const [partition, setPartition] = useState('');
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [json, setJson] = useState(false);
  const [headers, setHeaders] = useState<readonly HeaderDraft[]>([]);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const [produced, setProduced] = useState<CallResult<'messages.produce'> | null>(null);
  const produce = useProduceMessage();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ProduceMessageSchema.safeParse({
      clusterId,
      topic,
      partition: partition === '' ? null : Number(partition),
      key: key === '' ? null : key,
      value,
      headers: headers.map(({ key: name, value: text }) => ({ key: name.trim(), value: text })),
      valueFormat: json ? 'json' : 'text',
    });
    if (!parsed.success) {
      setProblems(parsed.error.issues.map((issue) => issue.message));
      return;
    }
    setProblems([]);
    produce.mutate(parsed.data, { onSuccess: (result) => setProduced(result) });
  };

  const formatValue = () => {
    try {
      setValue(JSON.stringify(JSON.parse(value) as unknown, null, 2));
    } catch {
      setProblems(['The value is not valid JSON']);
    }
  };

  return (
    <form className="form produce-form" onSubmit={submit} noValidate aria-labelledby={`${ids}-title`}>
      <h3 id={`${ids}-title`} className="panel-title">
        Produce a message
      </h3>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-partition`}>Partition</label>
          <select id={`${ids}-partition`} value={partition} onChange={(event) => setPartition(event.target.value)}>
            <option value="">Automatic (by key)</option>
            {Array.from({ length: partitions }, (_, index) => (
              <option key={index} value={String(index)}>
                {index}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${ids}-key`}>Key</label>
          <input id={`${ids}-key`} className="mono" value={key} onChange={(event) => setKey(event.target.value)} placeholder="No key" autoComplete="off" spellCheck={false} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${ids}-value`}>Value</label>
        <textarea
          id={`${ids}-value`}
          className="mono"
          rows={6}
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            setProblems([]);
          }}
          spellCheck={false}
        />
        <div className="row-actions start">
          <label className="checkbox">
            <input type="checkbox" checked={json} onChange={(event) => setJson(event.target.checked)} /> Value must be valid JSON
          </label>
          <button type="button" className="button button-quiet" onClick={formatValue}>
            Format JSON
          </button>
        </div>
      </div>
      <fieldset className="field headers-fieldset">
        <legend className="field-label">Headers</legend>
        {headers.map((header, index) => (
          <div className="header-row" key={header.id}>
            <input
              aria-label={`Header ${index + 1} name`}
              className="mono"
              value={header.key}
              placeholder="name"
              onChange={(event) => setHeaders(headers.map((entry) => (entry.id === header.id ? { ...entry, key: event.target.value } : entry)))}
            />
            <input
              aria-label={`Header ${index + 1} value`}
              className="mono"
              value={header.value}
              placeholder="value"
              onChange={(event) => setHeaders(headers.map((entry) => (entry.id === header.id ? { ...entry, value: event.target.value } : entry)))}
            />
            <button type="button" className="button button-quiet" aria-label={`Remove header ${index + 1}`} onClick={() => setHeaders(headers.filter((entry) => entry.id !== header.id))}>
              Remove
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="button" onClick={() => setHeaders([...headers, { id: Date.now() + headers.length, key: '', value: '' }])}>
            Add header
          </button>
        </div>
      </fieldset>
      {problems.length === 0 ? null : (
        <p className="form-error" role="alert">
          {problems.join('; ')}
        </p>
      )}
      {produce.isError ? (
        <p className="form-error" role="alert">
          {produce.error.message}
        </p>
      ) : null}
      {produced === null ? null : (
        <div className="notice" role="status" aria-label="Produced">
          <span>
            Produced to partition <strong>{produced.partition}</strong> at offset <strong>{produced.offset}</strong>.
          </span>
          <CommandBlock command={produced.kafkaCommand} />
        </div>
      )}
      <div className="row-actions">
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
        <button type="submit" className="button button-primary" disabled={produce.isPending}>
          {produce.isPending ? 'Producing…' : 'Produce'}
        </button>
      </div>
    </form>
  );
}
