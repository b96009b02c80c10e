import { CopyButton } from './CopyButton';

/** The Kafka CLI command equivalent to a change, to read before confirming or keep afterwards. */
export function KafkaCommand({ command, label = 'Equivalent Kafka command' }: { command: string; label?: string }) {
  return (
    <figure className="kafka-command">
      <figcaption className="kafka-command-caption">
        <span>{label}</span>
        <CopyButton text={command} label={`Copy ${label.toLowerCase()}`} className="button button-quiet" />
      </figcaption>
      <pre className="mono" aria-label={label}>
        {command}
      </pre>
    </figure>
  );
}
