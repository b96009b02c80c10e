import { useId, useState, type ReactNode } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { PartitionRow, TopicDetail } from '../../../src/api/schemas/topics';
import { useDeleteTopic, useTopic } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { CommandBlock } from '../components/CommandBlock';
import { PreviewedCommand } from '../components/PreviewedCommand';
import { QueryError } from '../components/QueryError';
import { TypedConfirm } from '../components/TypedConfirm';
import { formatCount, formatLag } from '../format';
import { hrefFor, navigate, topicHref, topicTabs, type TopicTab } from '../routing';
import { AddPartitionsForm } from './topic/AddPartitionsForm';
import { ConfigsTab } from './topic/ConfigsTab';
import { DeleteRecordsForm } from './topic/DeleteRecordsForm';
import { MessagesTab } from './topic/MessagesTab';
import { PreferredLeaderElectionForm, PreferredLeaderNotice } from './topic/PreferredLeaderElection';
import './topic/topicDetail.css';

/**
 * One replica in the partition table: the leader is bold, the preferred leader (the first
 * assigned replica, which a preferred election restores) carries a mark, replicas out of the
 * ISR are struck, offline ones red.
 */
function Replica({ id, partition }: { id: number; partition: PartitionRow }) {
  const leader = partition.leader === id;
  const preferred = partition.replicas[0] === id;
  const inIsr = partition.isr.includes(id);
  const offline = partition.offlineReplicas.includes(id);
  const roles = [leader ? 'leader' : null, preferred ? 'preferred leader' : null, offline ? 'offline' : inIsr ? 'in sync' : 'out of sync'].filter(Boolean).join(', ');
  const classes = ['replica', leader ? 'replica-leader' : '', offline ? 'replica-offline' : !inIsr ? 'replica-out' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} title={`Broker ${id}: ${roles}`} aria-label={`Broker ${id}: ${roles}`}>
      {id}
      {preferred ? (
        <span className="preferred-mark" aria-hidden="true">
          ★
        </span>
      ) : null}
    </li>
  );
}

function ReplicaLag({ partition }: { partition: PartitionRow }) {
  if (partition.replicaLag === null) return <span className="muted">—</span>;
  const lag = partition.replicaLag;
  return (
    <ul className="replica-lag" aria-label={`Replica lag of partition ${partition.partition}`}>
      {partition.replicas.map((id) => {
        const value = lag[String(id)] ?? null;
        return (
          <li key={id} className={value !== null && value > 0 ? 'count-bad' : undefined}>
            <span className="muted">{id}:</span> {formatLag(value)}
          </li>
        );
      })}
    </ul>
  );
}

function HealthBadges({ partition }: { partition: PartitionRow }) {
  const badges: { label: string; tone: string }[] = [];
  if (partition.leader === null) badges.push({ label: 'offline', tone: 'bad' });
  if (partition.underReplicated) badges.push({ label: 'under-replicated', tone: 'warn' });
  if (partition.minIsr === 'under') badges.push({ label: 'under min ISR', tone: 'bad' });
  if (partition.minIsr === 'at') badges.push({ label: 'at min ISR', tone: 'warn' });
  if (partition.leader !== null && partition.leader !== partition.replicas[0]) badges.push({ label: 'off preferred leader', tone: 'muted' });
  if (badges.length === 0) return <span className="status status-good">healthy</span>;
  return (
    <span className="badge-list">
      {badges.map((badge) => (
        <span key={badge.label} className={`status status-${badge.tone}`}>
          {badge.label}
        </span>
      ))}
    </span>
  );
}

function PartitionTable({ topic }: { topic: TopicDetail }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label={`Partitions of ${topic.name}`}>
        <thead>
          <tr>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col" className="numeric">
              Leader
            </th>
            <th scope="col" className="numeric">
              Epoch
            </th>
            <th scope="col">Replicas</th>
            <th scope="col">ISR</th>
            <th scope="col">Offline</th>
            <th scope="col">Replica lag</th>
            <th scope="col" className="numeric">
              Log start
            </th>
            <th scope="col" className="numeric">
              High watermark
            </th>
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {topic.partitions.map((partition) => (
            <tr key={partition.partition} aria-label={`Partition ${partition.partition}`}>
              <th scope="row" className="numeric">
                {partition.partition}
              </th>
              <td className="numeric">{partition.leader ?? <span className="count-bad">none</span>}</td>
              <td className="numeric">{partition.leaderEpoch}</td>
              <td>
                <ul className="replica-list" aria-label="Replicas">
                  {partition.replicas.map((id) => (
                    <Replica key={id} id={id} partition={partition} />
                  ))}
                </ul>
              </td>
              <td className="mono isr-cell" aria-label="ISR">
                {partition.isr.join(', ')}
              </td>
              <td className="mono">{partition.offlineReplicas.length === 0 ? <span className="muted">—</span> : <span className="count-bad">{partition.offlineReplicas.join(', ')}</span>}</td>
              <td>
                <ReplicaLag partition={partition} />
              </td>
              <td className="numeric">{partition.logStartOffset < 0 ? '—' : formatCount(partition.logStartOffset)}</td>
              <td className="numeric" aria-label="High watermark">
                {partition.highWatermark < 0 ? '—' : formatCount(partition.highWatermark)}
              </td>
              <td>
                <HealthBadges partition={partition} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const TAB_LABELS: Record<TopicTab, string> = { partitions: 'Partitions', messages: 'Messages', configs: 'Configs' };

/** WAI-ARIA tabs: arrow keys move between them, only the selected one is in the tab order. */
function TopicTabs({ selected, onSelect, idPrefix }: { selected: TopicTab; onSelect: (tab: TopicTab) => void; idPrefix: string }) {
  const move = (step: number) => {
    const next = topicTabs[(topicTabs.indexOf(selected) + step + topicTabs.length) % topicTabs.length]!;
    onSelect(next);
    document.getElementById(`${idPrefix}-tab-${next}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label="Topic views">
      {topicTabs.map((tab) => (
        <button
          key={tab}
          id={`${idPrefix}-tab-${tab}`}
          type="button"
          role="tab"
          className="tab"
          aria-selected={selected === tab}
          aria-controls={`${idPrefix}-panel-${tab}`}
          tabIndex={selected === tab ? 0 : -1}
          onClick={() => onSelect(tab)}
          onKeyDown={(event) => {
            if (event.key === 'ArrowRight') move(1);
            if (event.key === 'ArrowLeft') move(-1);
          }}
        >
          {TAB_LABELS[tab]}
        </button>
      ))}
    </div>
  );
}

type PartitionAction = 'add-partitions' | 'delete-records' | 'delete-topic' | 'elect-preferred' | null;

/** `tab` comes from the address (see topicHref): choosing a tab navigates, so back and forward move between tabs. */
function Topic({ cluster, name, tab }: { cluster: ClusterEntry; name: string; tab: TopicTab }) {
  const ids = useId();
  const topic = useTopic(cluster.id, name);
  const remove = useDeleteTopic();
  const setTab = (next: TopicTab) => {
    if (next !== tab) navigate(topicHref(name, next));
  };
  const [action, setAction] = useState<PartitionAction>(null);
  const [done, setDone] = useState<{ summary: string; command: string; details: ReactNode; failures: boolean } | null>(null);
  const data = topic.data;
  const messages = data?.partitions.reduce((total, partition) => total + Math.max(0, partition.highWatermark - Math.max(0, partition.logStartOffset)), 0);
  const start = (next: PartitionAction) => {
    setDone(null);
    setAction(next);
  };
  /** `failures`: the change went through for some parts and not others (an election's partitions), so the notice warns. */
  const finish = (summary: string, command: string, details: ReactNode = null, failures = false) => {
    setAction(null);
    setDone({ summary, command, details, failures });
  };
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={hrefFor('topics')}>Topics</a> <span aria-hidden="true">/</span> <span className="mono">{name}</span>
      </nav>
      <TopicTabs selected={tab} onSelect={setTab} idPrefix={ids} />
      {topic.isError ? <QueryError what={`topic ${name}`} error={topic.error} onRetry={() => void topic.refetch()} /> : null}
      <div id={`${ids}-panel-partitions`} role="tabpanel" aria-labelledby={`${ids}-tab-partitions`} hidden={tab !== 'partitions'}>
        {tab !== 'partitions' ? null : (
          <section className="panel topic-partitions" aria-labelledby="partitions-title">
            <div className="panel-header">
              <h2 id="partitions-title" className="panel-title">
                Partitions
                {data === undefined ? null : (
                  <span className="muted heading-note">
                    {data.partitions.length} · min.insync.replicas {data.minInsyncReplicas} · {formatCount(messages ?? 0)} messages retained
                    {data.internal ? ' · internal' : ''}
                  </span>
                )}
              </h2>
              <div className="panel-tools">
                <DataAge updatedAt={topic.dataUpdatedAt} fetching={topic.isFetching} />
                {data === undefined || action !== null ? null : (
                  <>
                    <button type="button" className="button" onClick={() => start('elect-preferred')}>
                      Elect preferred leaders…
                    </button>
                    <button type="button" className="button" onClick={() => start('add-partitions')}>
                      Add partitions…
                    </button>
                    <button type="button" className="button button-danger-outline" onClick={() => start('delete-records')}>
                      Delete records…
                    </button>
                    <button type="button" className="button button-danger-outline" onClick={() => start('delete-topic')}>
                      Delete topic…
                    </button>
                  </>
                )}
              </div>
            </div>
            {done === null ? null : (
              <div className={done.failures ? 'notice notice-warn' : 'notice'} role="status" aria-label="Topic changed">
                <span className="notice-message">
                  {done.failures ? 'Done, with failures' : 'Done'}: {done.summary}.
                </span>
                {done.details}
                <CommandBlock command={done.command} />
                <button type="button" className="button button-quiet" onClick={() => setDone(null)}>
                  Dismiss
                </button>
              </div>
            )}
            {action === 'delete-topic' ? (
              <div className="panel-body">
                <TypedConfirm
                  name={name}
                  action="Delete topic"
                  consequence={`Every partition of ${name} and all its messages are deleted on ${cluster.name}. This cannot be undone.`}
                  pending={remove.isPending}
                  error={remove.isError ? remove.error.message : null}
                  onCancel={() => setAction(null)}
                  command={<PreviewedCommand input={{ action: 'delete-topic', clusterId: cluster.id, topic: name }} />}
                  onConfirm={(confirmation) => remove.mutate({ clusterId: cluster.id, topic: name, confirmation }, { onSuccess: () => navigate(hrefFor('topics')) })}
                />
              </div>
            ) : null}
            {action === 'elect-preferred' && data !== undefined ? (
              <div className="panel-body">
                <PreferredLeaderElectionForm clusterId={cluster.id} topic={name} partitions={data.partitions} onClose={() => setAction(null)} onDone={finish} />
              </div>
            ) : null}
            {action === 'add-partitions' && data !== undefined ? (
              <div className="panel-body">
                <AddPartitionsForm clusterId={cluster.id} topic={name} current={data.partitions.length} onClose={() => setAction(null)} onDone={finish} />
              </div>
            ) : null}
            {action === 'delete-records' && data !== undefined ? (
              <div className="panel-body">
                <DeleteRecordsForm clusterId={cluster.id} topic={name} partitions={data.partitions} onClose={() => setAction(null)} onDone={finish} />
              </div>
            ) : null}
            {data === undefined || action !== null ? null : <PreferredLeaderNotice partitions={data.partitions} />}
            {data?.replicaLagUnavailable ? <p className="panel-footnote muted">Replica lag is unknown: {data.replicaLagUnavailable}</p> : null}
            {data === undefined ? (
              topic.isPending ? (
                <p className="empty-inline" role="status">
                  Reading the topic…
                </p>
              ) : null
            ) : (
              <PartitionTable topic={data} />
            )}
            <p className="panel-footnote muted legend">
              <span className="replica replica-leader">1</span> leader · <span className="preferred-mark">★</span> preferred leader ·{' '}
              <span className="replica replica-out">2</span> out of sync · <span className="replica replica-offline">3</span> offline · replica lag: offsets behind the high watermark
            </p>
          </section>
        )}
      </div>
      <div id={`${ids}-panel-messages`} role="tabpanel" aria-labelledby={`${ids}-tab-messages`} hidden={tab !== 'messages'}>
        {/* Mounted only while shown, so a live tail stops when the user leaves the tab. */}
        {tab === 'messages' && data !== undefined ? <MessagesTab clusterId={cluster.id} topic={name} partitions={data.partitions.length} /> : null}
      </div>
      <div id={`${ids}-panel-configs`} role="tabpanel" aria-labelledby={`${ids}-tab-configs`} hidden={tab !== 'configs'}>
        {tab === 'configs' && data !== undefined ? <ConfigsTab clusterId={cluster.id} topic={name} configs={data.configs} /> : null}
      </div>
    </div>
  );
}

export function TopicDetailPage({ name, tab }: { name: string; tab: TopicTab }) {
  return (
    <ClusterGate icon="topics" subject="this topic">
      {(cluster) => <Topic cluster={cluster} name={name} tab={tab} />}
    </ClusterGate>
  );
}
