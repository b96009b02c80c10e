import { useMemo } from 'react';
import { MAX_PAYLOAD_BYTES, type MessageRow, type PayloadBytes } from '../../../../src/api/schemas/topicData';
import { CopyButton } from '../../components/CopyButton';
import { formatBytes } from '../../format';
import { bytesOf, payloadClipboardText, renderPayload, type PayloadView, type RenderedPayload } from '../../payload';
import { formatMessageTime } from './messageTime';

/** JSON levels open at first; deeper objects start folded so a large document stays readable. */
const OPEN_DEPTH = 2;

function JsonValue({ value, depth, name }: { value: unknown; depth: number; name?: string }) {
  const label = name === undefined ? null : <span className="json-key">{JSON.stringify(name)}: </span>;
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) {
      return (
        <li>
          {label}
          <span className="json-punct">{`${open}${close}`}</span>
        </li>
      );
    }
    return (
      <li>
        <details open={depth < OPEN_DEPTH}>
          <summary>
            {label}
            <span className="json-punct">{open}</span>
            <span className="json-fold muted">
              {' '}
              {entries.length} {Array.isArray(value) ? (entries.length === 1 ? 'item' : 'items') : entries.length === 1 ? 'key' : 'keys'} {close}
            </span>
          </summary>
          <ul className="json-children">
            {entries.map(([key, item]) => (
              <JsonValue key={key} value={item} depth={depth + 1} {...(Array.isArray(value) ? {} : { name: key })} />
            ))}
          </ul>
          <span className="json-punct">{close}</span>
        </details>
      </li>
    );
  }
  const tone = typeof value === 'string' ? 'json-string' : typeof value === 'number' ? 'json-number' : 'json-literal';
  return (
    <li>
      {label}
      <span className={tone}>{JSON.stringify(value)}</span>
    </li>
  );
}

/** A JSON document as a tree whose objects and arrays fold, like a browser's JSON viewer. */
export function JsonTree({ value, label }: { value: unknown; label: string }) {
  return (
    <ul className="json-tree mono" aria-label={label}>
      <JsonValue value={value} depth={0} />
    </ul>
  );
}

const KIND_LABEL: Record<RenderedPayload['kind'], string> = { json: 'JSON', text: 'text', hex: 'hex' };

function Payload({ title, payload, view }: { title: string; payload: PayloadBytes | null; view: PayloadView }) {
  const rendered = useMemo(() => (payload === null ? null : renderPayload(bytesOf(payload.base64), view)), [payload, view]);
  return (
    <section className="payload" aria-label={title}>
      <div className="payload-header">
        <h4>{title}</h4>
        {payload === null || rendered === null ? (
          <span className="status status-muted">null</span>
        ) : (
          <>
            <span className="muted">
              {KIND_LABEL[rendered.kind]} · {formatBytes(payload.size)}
              {view !== 'auto' && view !== rendered.kind ? ` · not ${view === 'json' ? 'JSON' : 'valid UTF-8 text'}, shown as ${KIND_LABEL[rendered.kind]}` : ''}
            </span>
            <CopyButton text={payloadClipboardText(rendered)} label={`Copy ${title.toLowerCase()}`} className="button button-quiet" />
          </>
        )}
      </div>
      {payload?.truncated ? (
        <p className="text-warn payload-note">
          Showing the first {formatBytes(MAX_PAYLOAD_BYTES)} of {formatBytes(payload.size)}.
        </p>
      ) : null}
      {rendered === null ? null : rendered.kind === 'json' ? (
        <JsonTree value={rendered.value} label={`${title} as JSON`} />
      ) : (
        <pre className={rendered.kind === 'hex' ? 'payload-text mono payload-hex' : 'payload-text mono'} aria-label={`${title} as ${KIND_LABEL[rendered.kind]}`}>
          {rendered.text === '' ? <span className="muted">(empty)</span> : rendered.text}
        </pre>
      )}
    </section>
  );
}

/** The message as JSON, for the clipboard: what a user pastes into a ticket or a test. */
function messageAsJson(topic: string, message: MessageRow): string {
  const text = (payload: PayloadBytes | null) => {
    if (payload === null) return null;
    const rendered = renderPayload(bytesOf(payload.base64), 'auto');
    return rendered.kind === 'json' ? rendered.value : rendered.kind === 'text' ? rendered.text : { base64: payload.base64 };
  };
  return JSON.stringify(
    {
      topic,
      partition: message.partition,
      offset: message.offset,
      timestamp: new Date(message.timestamp).toISOString(),
      timestampType: message.timestampType,
      key: text(message.key),
      value: text(message.value),
      headers: message.headers.map((header) => ({ key: header.key, value: text(header.value) })),
    },
    null,
    2,
  );
}

export function MessageDetail({ topic, message, view, onClose }: { topic: string; message: MessageRow; view: PayloadView; onClose: () => void }) {
  const title = `Message ${message.partition}@${message.offset}`;
  return (
    <section className="message-detail" aria-label={title}>
      <div className="message-detail-header">
        <h3 className="panel-title">
          Partition {message.partition} · offset {message.offset}
        </h3>
        <span className="muted">
          {formatMessageTime(message.timestamp)} ({message.timestampType}) · {formatBytes(message.size)}
        </span>
        <span className="toolbar-spacer" />
        <CopyButton text={messageAsJson(topic, message)} label="Copy message as JSON" caption="Copy message" />
        <button type="button" className="button button-quiet" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="message-payloads">
        <Payload title="Key" payload={message.key} view={view} />
        <Payload title="Value" payload={message.value} view={view} />
      </div>
      <section aria-label="Headers" className="payload">
        <div className="payload-header">
          <h4>Headers</h4>
          <span className="muted">{message.headers.length}</span>
        </div>
        {message.headers.length === 0 ? (
          <p className="muted payload-note">No headers.</p>
        ) : (
          <table className="table table-compact kv-table" aria-label="Message headers">
            <tbody>
              {message.headers.map((header, index) => (
                <tr key={`${header.key}-${index}`}>
                  <th scope="row" className="mono">
                    {header.key}
                  </th>
                  <td className="mono payload-cell">{header.value === null ? <span className="muted">null</span> : headerText(header.value, view)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

function headerText(payload: PayloadBytes, view: PayloadView): string {
  const rendered = renderPayload(bytesOf(payload.base64), view);
  return rendered.kind === 'json' ? JSON.stringify(rendered.value) : rendered.text;
}
