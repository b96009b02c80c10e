import { Fragment, useId, useMemo, useState } from 'react';
import type { AuditRow } from '../../../src/api/schemas/audit';
import { useAuditLog } from '../api/clusterHooks';
import { CommandLine } from '../components/CommandLine';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { clusterLabel, diffValues, filterAudit } from '../auditDiff';
import { formatCount } from '../format';

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

function Diff({ row }: { row: AuditRow }) {
  const [all, setAll] = useState(false);
  const rows = diffValues(row.before, row.after);
  const changed = rows.filter((entry) => entry.changed);
  const shown = all ? rows : changed;
  return (
    <div className="audit-diff">
      <div className="row-actions start">
        <strong>Before and after</strong>
        <span className="muted">
          {formatCount(changed.length)} of {formatCount(rows.length)} values changed
        </span>
        {rows.length > changed.length ? (
          <button type="button" className="button button-quiet" onClick={() => setAll((value) => !value)}>
            {all ? 'Only changed values' : 'Show unchanged values too'}
          </button>
        ) : null}
      </div>
      {shown.length === 0 ? (
        <p className="muted">Nothing was recorded before or after this change.</p>
      ) : (
        <table className="table table-compact diff-table" aria-label="Before and after">
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((entry) => (
              <tr key={entry.path} className={entry.changed ? 'diff-changed' : undefined}>
                <th scope="row" className="mono">
                  {entry.path}
                </th>
                <td className="mono diff-before">{entry.before ?? <span className="muted">none</span>}</td>
                <td className="mono diff-after">{entry.after ?? <span className="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Entry({ row, index }: { row: AuditRow; index: number }) {
  const [open, setOpen] = useState(false);
  const detailId = `audit-detail-${index}`;
  return (
    <Fragment>
      <tr aria-label={row.summary} className={row.outcome === 'failed' ? 'row-unhealthy' : undefined}>
        <td className="nowrap mono">
          <time dateTime={row.at}>{dateTimeFormat.format(new Date(row.at))}</time>
        </td>
        <td>{row.user}</td>
        <td className="truncate" title={row.cluster}>
          {clusterLabel(row)}
        </td>
        <th scope="row" className="audit-summary">
          {row.summary}
          {row.clusterId === null ? <span className="badge badge-muted">CLI</span> : null}
        </th>
        <td>
          <span className={`status status-${row.outcome === 'done' ? 'good' : 'bad'}`}>{row.outcome}</span>
        </td>
        <td>
          <button type="button" className="button button-quiet" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen((value) => !value)} aria-label={`Details of ${row.summary}`}>
            {open ? 'Hide' : 'Details'}
          </button>
        </td>
      </tr>
      {open ? (
        <tr id={detailId} className="audit-detail-row">
          <td colSpan={6}>
            <div className="stack-tight">
              {row.error ? (
                <p className="inline-error" role="alert">
                  {row.error}
                </p>
              ) : null}
              <Diff row={row} />
              {row.kafkaCommand ? <CommandLine command={row.kafkaCommand} /> : <p className="muted">No equivalent command was recorded.</p>}
            </div>
          </td>
        </tr>
      ) : null}
    </Fragment>
  );
}

export function AuditLogPage() {
  const ids = useId();
  const audit = useAuditLog();
  const [cluster, setCluster] = useState('');
  const [kind, setKind] = useState('');
  const [text, setText] = useState('');
  const entries = audit.data?.entries;
  const clusters = useMemo(() => [...new Set((entries ?? []).map(clusterLabel))].sort(), [entries]);
  const kinds = useMemo(() => [...new Set((entries ?? []).map((row) => row.kind))].sort(), [entries]);
  const shown = useMemo(() => filterAudit(entries ?? [], { cluster, kind, text }), [entries, cluster, kind, text]);
  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Changes made through Samsa
          {entries === undefined ? null : (
            <span className="muted heading-note">{shown.length === entries.length ? formatCount(entries.length) : `${formatCount(shown.length)} of ${formatCount(entries.length)}`}</span>
          )}
        </h2>
        <DataAge updatedAt={audit.dataUpdatedAt} fetching={audit.isFetching} />
      </div>
      {audit.data ? (
        <p className="panel-footnote muted">
          Every change made in the app or with the <span className="mono">samsa</span> CLI, newest first, kept in <span className="mono">{audit.data.path}</span> (one JSON object per line,
          never rewritten).
          {audit.data.truncated ? ' Older entries are in the file.' : ''}
        </p>
      ) : null}
      <div className="toolbar" role="search">
        <input type="search" className="search" placeholder="Search changes" aria-label="Search changes" value={text} onChange={(event) => setText(event.target.value)} />
        <label className="inline-field">
          Cluster
          <select value={cluster} onChange={(event) => setCluster(event.target.value)}>
            <option value="">All clusters</option>
            {clusters.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value)}>
            <option value="">All kinds</option>
            {kinds.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {audit.isError ? (
        <div className="panel-body">
          <QueryError what="the audit log" error={audit.error} onRetry={() => void audit.refetch()} />
        </div>
      ) : null}
      {entries === undefined ? (
        audit.isPending ? (
          <p className="empty-inline" role="status">
            Reading the audit log…
          </p>
        ) : null
      ) : shown.length === 0 ? (
        <p className="empty-inline" role="status">
          {entries.length === 0 ? 'No changes yet. Creating or deleting a topic, resetting offsets and other changes are recorded here.' : 'No change matches these filters.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table audit-table" aria-label="Audit log, newest first">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Cluster</th>
                <th scope="col">What</th>
                <th scope="col">Outcome</th>
                <th scope="col">
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((row, index) => (
                <Entry key={`${row.at}-${index}-${row.summary}`} row={row} index={index} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
