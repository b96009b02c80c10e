import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { ClusterRef } from '../../../../src/api/schemas/clusterRef';
import { MAX_MESSAGES_PER_READ, type MessageRow, type MessageStart, type PayloadBytes } from '../../../../src/api/schemas/topicData';
import { TAIL_BUFFER, useLiveTail, useMessagePages, type BrowseRequest } from '../../api/topicDataHooks';
import { QueryError } from '../../components/QueryError';
import { formatBytes, formatCount, plural } from '../../format';
import { bytesOf, detectPayload, payloadSummary, type PayloadView } from '../../payload';
import { MessageDetail } from './MessageDetail';
import { formatMessageTime, parseLocalDateTime } from './messageTime';
import { ProduceForm } from './ProduceForm';

const ROW_HEIGHT = 34;
const OVERSCAN = 10;
const PAGE_SIZES = [50, 100, 200, MAX_MESSAGES_PER_READ] as const;
const VIEWS: { value: PayloadView; label: string }[] = [
  { value: 'auto', label: 'Auto-detect' },
  { value: 'text', label: 'Text' },
  { value: 'json', label: 'JSON' },
  { value: 'hex', label: 'Hex' },
];

type StartMode = 'earliest' | 'offset' | 'timestamp' | 'newest';

function Summary({ payload, view }: { payload: PayloadBytes | null; view: PayloadView }) {
  if (payload === null) return <span className="muted">null</span>;
  const bytes = bytesOf(payload.base64);
  if (bytes.length === 0) return <span className="muted">(empty)</span>;
  const kind = view === 'auto' ? detectPayload(bytes) : null;
  return (
    <>
      {kind === 'binary' ? <span className="status status-muted payload-kind">bin</span> : kind === 'json' ? <span className="status status-muted payload-kind">json</span> : null}
      {payloadSummary(bytes, view)}
    </>
  );
}

/** Rows in view only (TanStack Virtual), so a page of 500 large messages scrolls smoothly; a real <table> for screen readers. */
function MessageList({ messages, view, selected, onSelect, label }: { messages: readonly MessageRow[]; view: PayloadView; selected: MessageRow | null; onSelect: (message: MessageRow) => void; label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: messages.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: OVERSCAN });
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div className="virtual-scroller message-scroller" ref={scroller}>
      <table className="table table-compact sticky-head messages-table" aria-label={label} aria-rowcount={messages.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col" className="numeric">
              Offset
            </th>
            <th scope="col">Timestamp</th>
            <th scope="col">Key</th>
            <th scope="col">Value</th>
            <th scope="col" className="numeric">
              Headers
            </th>
            <th scope="col" className="numeric">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {before > 0 ? (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={7} style={{ height: before }} />
            </tr>
          ) : null}
          {items.map((item) => {
            const message = messages[item.index]!;
            const isSelected = selected !== null && selected.partition === message.partition && selected.offset === message.offset;
            return (
              <tr
                key={`${message.partition}-${message.offset}`}
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                aria-label={`Message ${message.partition}@${message.offset}`}
                className={isSelected ? 'message-row selected' : 'message-row'}
                style={{ height: ROW_HEIGHT }}
                onClick={() => onSelect(message)}
              >
                <td className="numeric">{message.partition}</td>
                <td className="numeric">
                  <button type="button" className="link-button" onClick={() => onSelect(message)} aria-label={`Show message ${message.partition}@${message.offset}`}>
                    {message.offset}
                  </button>
                </td>
                <td className="nowrap" title={message.timestampType}>
                  {formatMessageTime(message.timestamp)}
                  {message.timestampType === 'LogAppendTime' ? <span className="muted"> (log append)</span> : null}
                </td>
                <td className="mono payload-cell key-cell" aria-label="Key">
                  <Summary payload={message.key} view={view} />
                </td>
                <td className="mono payload-cell" aria-label="Value">
                  <Summary payload={message.value} view={view} />
                </td>
                <td className="numeric" aria-label="Headers">
                  {message.headers.length === 0 ? <span className="muted">—</span> : message.headers.length}
                </td>
                <td className="numeric nowrap">{formatBytes(message.size)}</td>
              </tr>
            );
          })}
          {after > 0 ? (
            <tr aria-hidden="true" className="spacer">
              <td colSpan={7} style={{ height: after }} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function startOf(mode: StartMode, offset: string, time: string, count: string): MessageStart | string {
  switch (mode) {
    case 'earliest':
      return { kind: 'earliest' };
    case 'offset':
      return /^\d+$/.test(offset.trim()) ? { kind: 'offset', offset: Number(offset.trim()) } : 'Enter an offset (a whole number)';
    case 'timestamp': {
      const at = parseLocalDateTime(time);
      return at === null ? 'Choose a date and time' : { kind: 'timestamp', timestamp: at };
    }
    case 'newest': {
      const value = Number(count);
      return Number.isInteger(value) && value >= 1 && value <= MAX_MESSAGES_PER_READ ? { kind: 'newest', count: value } : `Newest is 1 to ${MAX_MESSAGES_PER_READ} per partition`;
    }
  }
}

/**
 * Messages of a topic: browse a partition or all from the start, an offset, a time or the
 * newest N, page forward, or follow new messages live. Keys, values and headers are decoded
 * in the browser (auto, text, JSON, hex); a row opens the whole message below the list.
 */
export function MessagesTab({ clusterId, topic, partitions }: { clusterId: ClusterRef; topic: string; partitions: number }) {
  const ids = useId();
  const [mode, setMode] = useState<'browse' | 'tail'>('browse');
  const [partition, setPartition] = useState('');
  const [startMode, setStartMode] = useState<StartMode>('earliest');
  const [offset, setOffset] = useState('0');
  const [time, setTime] = useState('');
  const [count, setCount] = useState('20');
  const [pageSize, setPageSize] = useState<number>(100);
  const [view, setView] = useState<PayloadView>('auto');
  const [request, setRequest] = useState<BrowseRequest | null>({ partition: null, start: { kind: 'earliest' }, pageSize: 100, readId: 0 });
  const [problem, setProblem] = useState<string | null>(null);
  const [selected, setSelected] = useState<MessageRow | null>(null);
  const [producing, setProducing] = useState(false);
  const [paused, setPaused] = useState(false);
  const chosenPartition = partition === '' ? null : Number(partition);

  const pages = useMessagePages(clusterId, topic, mode === 'browse' ? request : null);
  const tail = useLiveTail(clusterId, topic, chosenPartition, mode === 'tail' && !paused);
  const browsed = useMemo(() => pages.data?.pages.flatMap((page) => page.messages) ?? [], [pages.data]);
  const lastPageEmpty = pages.data !== undefined && pages.data.pages.at(-1)!.messages.length === 0;
  const shown = mode === 'browse' ? browsed : tail.messages;

  const read = (event: FormEvent) => {
    event.preventDefault();
    const start = startOf(startMode, offset, time, count);
    if (typeof start === 'string') {
      setProblem(start);
      return;
    }
    setProblem(null);
    setSelected(null);
    setMode('browse');
    setRequest({ partition: chosenPartition, start, pageSize, readId: Date.now() });
  };

  return (
    <section className="panel" aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Messages
        </h2>
        <div className="panel-tools">
          <div className="segmented" role="group" aria-label="Messages mode">
            <button type="button" className={mode === 'browse' ? 'button segment active' : 'button segment'} aria-pressed={mode === 'browse'} onClick={() => setMode('browse')}>
              Browse
            </button>
            <button
              type="button"
              className={mode === 'tail' ? 'button segment active' : 'button segment'}
              aria-pressed={mode === 'tail'}
              onClick={() => {
                setMode('tail');
                setPaused(false);
                setSelected(null);
              }}
            >
              Live tail
            </button>
          </div>
          {producing ? null : (
            <button type="button" className="button button-primary" onClick={() => setProducing(true)}>
              Produce message…
            </button>
          )}
        </div>
      </div>
      {producing ? (
        <div className="panel-body">
          <ProduceForm clusterId={clusterId} topic={topic} partitions={partitions} onClose={() => setProducing(false)} />
        </div>
      ) : null}
      <form className="toolbar message-toolbar" onSubmit={read} aria-label="Read messages" noValidate>
        <div className="field">
          <label htmlFor={`${ids}-partition`}>Partition</label>
          <select id={`${ids}-partition`} value={partition} onChange={(event) => setPartition(event.target.value)}>
            <option value="">All partitions</option>
            {Array.from({ length: partitions }, (_, index) => (
              <option key={index} value={String(index)}>
                {index}
              </option>
            ))}
          </select>
        </div>
        {mode === 'browse' ? (
          <>
            <div className="field">
              <label htmlFor={`${ids}-from`}>From</label>
              <select id={`${ids}-from`} value={startMode} onChange={(event) => setStartMode(event.target.value as StartMode)}>
                <option value="earliest">The beginning</option>
                <option value="offset">An offset</option>
                <option value="timestamp">A time</option>
                <option value="newest">The newest N</option>
              </select>
            </div>
            {startMode === 'offset' ? (
              <div className="field">
                <label htmlFor={`${ids}-offset`}>Offset</label>
                <input id={`${ids}-offset`} className="narrow-input" inputMode="numeric" value={offset} onChange={(event) => setOffset(event.target.value)} />
              </div>
            ) : null}
            {startMode === 'timestamp' ? (
              <div className="field">
                <label htmlFor={`${ids}-time`}>Time (local)</label>
                <input id={`${ids}-time`} type="datetime-local" step={1} value={time} onChange={(event) => setTime(event.target.value)} />
              </div>
            ) : null}
            {startMode === 'newest' ? (
              <div className="field">
                <label htmlFor={`${ids}-count`}>Per partition</label>
                <input id={`${ids}-count`} className="narrow-input" inputMode="numeric" value={count} onChange={(event) => setCount(event.target.value)} />
              </div>
            ) : null}
            <div className="field">
              <label htmlFor={`${ids}-size`}>Page size</label>
              <select id={`${ids}-size`} value={pageSize} onChange={(event) => setPageSize(Number(event.target.value))}>
                {PAGE_SIZES.map((size) => (
                  <option key={size} value={size}>
                    {size}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="button button-primary toolbar-button">
              Read
            </button>
          </>
        ) : (
          <div className="row-actions start toolbar-button">
            <button type="button" className="button" onClick={() => setPaused(!paused)}>
              {paused ? 'Resume' : 'Pause'}
            </button>
            <button type="button" className="button button-quiet" onClick={tail.clear}>
              Clear
            </button>
          </div>
        )}
        <span className="toolbar-spacer" />
        <div className="field">
          <label htmlFor={`${ids}-view`}>Show as</label>
          <select id={`${ids}-view`} value={view} onChange={(event) => setView(event.target.value as PayloadView)}>
            {VIEWS.map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {problem === null ? null : (
        <p className="form-error panel-body" role="alert">
          {problem}
        </p>
      )}
      {mode === 'browse' && pages.isError ? (
        <div className="panel-body">
          <QueryError what={`messages of ${topic}`} error={pages.error} onRetry={() => void pages.refetch()} />
        </div>
      ) : null}
      {mode === 'tail' ? (
        <p className="panel-footnote muted" role="status" aria-label="Live tail status">
          {paused ? 'Paused: new messages are read when you resume.' : 'Following new messages'}
          {tail.messages.length > 0 ? ` · ${plural(tail.messages.length, 'message')} (newest first, last ${formatCount(TAIL_BUFFER)} kept)` : ' · waiting for messages produced from now on'}
          {tail.dropped > 0 ? ` · ${formatCount(tail.dropped)} older dropped` : ''}
          {tail.error === null ? '' : ` · ${tail.error.message} (retrying)`}
        </p>
      ) : null}
      {mode === 'browse' && pages.isPending && request !== null ? (
        <p className="empty-inline" role="status">
          Reading messages…
        </p>
      ) : shown.length === 0 ? (
        mode === 'browse' && pages.data !== undefined ? (
          <p className="empty-inline" role="status">
            No messages from this position{chosenPartition === null ? '' : ` in partition ${chosenPartition}`}. The topic may be empty, or its messages deleted or expired.
          </p>
        ) : null
      ) : (
        <MessageList messages={shown} view={view} selected={selected} onSelect={setSelected} label={mode === 'browse' ? `Messages of ${topic}` : `Live messages of ${topic}`} />
      )}
      {mode === 'browse' && pages.data !== undefined && browsed.length > 0 ? (
        <div className="panel-footnote row-actions start">
          <span className="muted" role="status" aria-label="Messages read">
            {plural(browsed.length, 'message')} read{lastPageEmpty ? ' · at the end of the log' : ''}
          </span>
          <button type="button" className="button" onClick={() => void pages.fetchNextPage()} disabled={pages.isFetchingNextPage}>
            {pages.isFetchingNextPage ? 'Reading…' : lastPageEmpty ? 'Check for newer messages' : 'Next page'}
          </button>
        </div>
      ) : null}
      {selected === null ? null : (
        <div className="panel-body">
          <MessageDetail topic={topic} message={selected} view={view} onClose={() => setSelected(null)} />
        </div>
      )}
    </section>
  );
}
