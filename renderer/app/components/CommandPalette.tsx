import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useGroups, useTopics } from '../api/clusterHooks';
import { rankCommands, type Command } from '../commands';
import { groupHref, hrefFor, navigate, sections, topicHref } from '../routing';
import { useSelectedCluster } from '../selectedCluster';

/**
 * Ctrl/Cmd+K: jump to a page, a topic or a consumer group of the active cluster by typing
 * part of its name. A combobox over a listbox (WAI-ARIA pattern), so arrow keys, Enter and
 * Escape work as screen reader users expect.
 */
export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ids = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const { cluster } = useSelectedCluster();
  const readable = cluster !== undefined && (cluster.kind === 'saved' || cluster.state === 'running');
  const topics = useTopics(readable ? cluster.id : undefined, { enabled: open });
  const groups = useGroups(readable ? cluster.id : undefined, { enabled: open });

  const commands = useMemo<Command[]>(
    () => [
      ...sections.map((section) => ({ id: `page:${section.id}`, label: section.title, kind: 'Page', href: hrefFor(section.id) })),
      ...(topics.data?.topics ?? []).map((topic) => ({ id: `topic:${topic.name}`, label: topic.name, kind: 'Topic', href: topicHref(topic.name) })),
      ...(groups.data?.groups ?? []).map((group) => ({ id: `group:${group.group}`, label: group.group, kind: 'Group', href: groupHref(group.group) })),
    ],
    [topics.data, groups.data],
  );
  const matches = useMemo(() => rankCommands(commands, query), [commands, query]);

  useEffect(() => {
    if (!open) return;
    setQuery('');
    setActive(0);
    input.current?.focus();
  }, [open]);
  useEffect(() => setActive(0), [query]);

  if (!open) return null;

  const go = (command: Command | undefined) => {
    if (command === undefined) return;
    navigate(command.href);
    onClose();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((index) => Math.min(matches.length - 1, index + 1));
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((index) => Math.max(0, index - 1));
        break;
      case 'Enter':
        event.preventDefault();
        go(matches[active]);
        break;
      case 'Escape':
        event.preventDefault();
        onClose();
        break;
    }
  };

  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Go to a page, topic or group" onMouseDown={(event) => event.stopPropagation()}>
        <input
          ref={input}
          className="palette-input"
          role="combobox"
          aria-expanded="true"
          aria-controls={`${ids}-list`}
          aria-activedescendant={matches[active] ? `${ids}-${active}` : undefined}
          aria-label="Search pages, topics and groups"
          placeholder={readable ? `Pages, topics and groups of ${cluster.name}` : 'Pages'}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={onKeyDown}
          spellCheck={false}
          autoComplete="off"
        />
        <ul id={`${ids}-list`} className="palette-list" role="listbox" aria-label="Matches">
          {matches.length === 0 ? (
            <li className="palette-empty" role="presentation">
              Nothing matches “{query}”
            </li>
          ) : (
            matches.map((command, index) => (
              <li
                key={command.id}
                id={`${ids}-${index}`}
                role="option"
                aria-selected={index === active}
                className="palette-option"
                onMouseEnter={() => setActive(index)}
                onClick={() => go(command)}
              >
                <span className="palette-label">{command.label}</span>
                <span className="palette-kind">{command.kind}</span>
              </li>
            ))
          )}
        </ul>
      </div>
    </div>
  );
}
