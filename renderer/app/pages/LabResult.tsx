import { Fragment, useId, useState } from 'react';
import type { LabReport } from '../../../src/api/schemas/lab';
import { CopyButton } from '../components/CopyButton';
import { formatCount, plural } from '../format';

/** Ids shown before "and N more": enough to spot a pattern (every 3rd id = one partition). */
const IDS_SHOWN = 40;

function IdList({ label, ids }: { label: string; ids: readonly number[] }) {
  const shown = ids.slice(0, IDS_SHOWN);
  return (
    <div className="lab-ids">
      <h3 className="field-label">
        {label} ({formatCount(ids.length)})
      </h3>
      {ids.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <p className="mono lab-id-list" aria-label={`${label}: ${ids.length}`}>
          {shown.join(', ')}
          {ids.length > IDS_SHOWN ? <span className="muted">{` … and ${formatCount(ids.length - IDS_SHOWN)} more (all in the JSON)`}</span> : null}
        </p>
      )}
    </div>
  );
}

function Count({ label, value, bad, note }: { label: string; value: number; bad: boolean; note?: string }) {
  const text = formatCount(value);
  return (
    <li className={`tile ${bad ? 'tone-bad' : 'tone-neutral'}`} aria-label={`${label}: ${text}`}>
      <span className="tile-label">{label}</span>
      <span className="tile-value">{text}</span>
      {note === undefined ? null : <span className="tile-note">{note}</span>}
    </li>
  );
}

/**
 * What the run found: the guarantee achieved (against the preset's promise), the counts,
 * the lost and duplicated ids, the explanation, the report as `samsa lab run --json`
 * prints it, and that command to repeat the scenario from a terminal.
 */
export function LabResult({ report, command }: { report: LabReport; command: string }) {
  const ids = useId();
  const [showJson, setShowJson] = useState(false);
  const json = JSON.stringify(report, null, 2);
  const kept = report.expected === null || report.expected === report.guarantee;
  const settled = report.transactions === null || report.transactions.committedDespiteError === 0 ? '' : `; ${plural(report.transactions.committedDespiteError, 'commit')} failed at the client yet committed (found in the log, not written again)`;
  const aborted = report.transactions === null ? undefined : `${plural(report.transactions.abortedOnPurpose, 'transaction')} aborted on purpose${settled}`;
  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Result
        </h2>
      </div>
      <div className="panel-body">
        <p className={`lab-verdict ${report.lost.length > 0 ? 'verdict-bad' : report.duplicates.length > 0 || report.abortedSeen.length > 0 ? 'verdict-warn' : 'verdict-good'}`}>
          <span className="lab-verdict-label">Achieved</span>
          <strong className="lab-verdict-value" aria-label={`Achieved guarantee: ${report.guarantee}`}>
            {report.guarantee}
          </strong>
          {report.expected === null ? null : <span className="lab-verdict-note">{kept ? 'as the preset promises' : `the preset promises ${report.expected}`}</span>}
        </p>
        <ul className="tiles lab-counts" aria-label="Result counts">
          <Count label="Acknowledged" value={report.acknowledged} bad={false} note={report.failedSends > 0 ? `${plural(report.failedSends, 'send')} failed` : 'by the cluster'} />
          <Count label="Consumed" value={report.consumed} bad={false} note={`distinct ids, ${plural(report.deliveries, 'delivery', 'deliveries')}`} />
          <Count label="Lost" value={report.lost.length} bad={report.lost.length > 0} note="acknowledged, never consumed" />
          <Count label="Duplicates" value={report.duplicates.length} bad={report.duplicates.length > 0} note="written or processed twice" />
          <Count label="Out of order" value={report.outOfOrder} bad={report.outOfOrder > 0} note="within a partition" />
          <Count label="Aborted seen" value={report.abortedSeen.length} bad={report.abortedSeen.length > 0} {...(aborted === undefined ? { note: 'no transactions' } : { note: aborted })} />
        </ul>
        <div className="lab-id-lists">
          <IdList label="Lost ids" ids={report.lost} />
          <IdList label="Duplicate ids" ids={report.duplicates} />
        </div>
        <div>
          <h3 className="field-label">Why</h3>
          <p className="lab-explanation">{report.explanation}</p>
        </div>
        <div className="lab-command">
          <h3 className="field-label" id={`${ids}-command`}>
            The same scenario from a terminal
          </h3>
          <div className="bootstrap-row">
            <code className="command mono" aria-labelledby={`${ids}-command`}>
              {/* Lines break between arguments only, never inside "--json". */}
              {command.split(' ').map((argument, index) => (
                <Fragment key={index}>
                  {index > 0 ? ' ' : null}
                  <span className="nowrap">{argument}</span>
                </Fragment>
              ))}
            </code>
            <CopyButton text={command} label="Copy the CLI command" />
          </div>
          <p className="field-hint">It runs on a throwaway cluster of its own and prints a report of this shape.</p>
        </div>
        <div className="row-actions start">
          <button type="button" className="button" aria-expanded={showJson} aria-controls={`${ids}-json`} onClick={() => setShowJson((shown) => !shown)}>
            {showJson ? 'Hide JSON' : 'Show JSON'}
          </button>
          {showJson ? <CopyButton text={JSON.stringify(report)} label="Copy the report JSON" /> : null}
        </div>
        {showJson ? (
          <pre id={`${ids}-json`} className="lab-json mono" aria-label="Report JSON" tabIndex={0}>
            {json}
          </pre>
        ) : null}
      </div>
    </section>
  );
}
