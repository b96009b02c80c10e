import { QueryErrorResetBoundary } from '@tanstack/react-query';
import { Suspense, useEffect, useState } from 'react';
import { useLiveUpdates } from './api/liveUpdates';
import { CommandPalette } from './components/CommandPalette';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Header } from './components/Header';
import { Sidebar } from './components/Sidebar';
import { AuditLogPage } from './pages/AuditLogPage';
import { BrokerDetailPage } from './pages/BrokerDetailPage';
import { BrokersPage } from './pages/BrokersPage';
import { ClustersPage } from './pages/ClustersPage';
import { GroupDetailPage } from './pages/GroupDetailPage';
import { GroupsPage } from './pages/GroupsPage';
import { LabPage } from './pages/LabPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { OverviewPage } from './pages/OverviewPage';
import { ReassignmentsPage } from './pages/ReassignmentsPage';
import { TopicDetailPage } from './pages/TopicDetailPage';
import { TopicsPage } from './pages/TopicsPage';
import { sections, useRoute, type Route } from './routing';
import { SelectedClusterProvider } from './selectedCluster';

function titleOf(route: Route): string {
  switch (route.kind) {
    case 'not-found':
      return 'Not found';
    case 'topic':
      return `Topic ${route.name}`;
    case 'group':
      return `Consumer group ${route.name}`;
    case 'broker':
      return `Broker ${route.id}`;
    case 'section':
      return sections.find((section) => section.id === route.section)?.title ?? '';
  }
}

function Page({ route }: { route: Route }) {
  switch (route.kind) {
    case 'not-found':
      return <NotFoundPage path={route.path} />;
    case 'topic':
      return <TopicDetailPage name={route.name} tab={route.tab} />;
    case 'group':
      return <GroupDetailPage name={route.name} />;
    case 'broker':
      return <BrokerDetailPage id={route.id} />;
    case 'section':
      switch (route.section) {
        case 'overview':
          return <OverviewPage />;
        case 'clusters':
          return <ClustersPage />;
        case 'brokers':
          return <BrokersPage />;
        case 'topics':
          return <TopicsPage />;
        case 'groups':
          return <GroupsPage />;
        case 'lab':
          return <LabPage />;
        case 'reassignments':
          return <ReassignmentsPage />;
        case 'audit':
          return <AuditLogPage />;
      }
  }
}

/** Ctrl+K (Cmd+K on macOS) toggles the command palette from anywhere, as in most editors. */
function usePaletteShortcut(toggle: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        toggle();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
}

export function App() {
  const route = useRoute();
  const title = titleOf(route);
  const [paletteOpen, setPaletteOpen] = useState(false);
  useLiveUpdates();
  usePaletteShortcut(() => setPaletteOpen((open) => !open));
  return (
    <SelectedClusterProvider>
      <div className="shell">
        <Sidebar route={route} />
        <div className="workspace">
          <Header title={title} onOpenPalette={() => setPaletteOpen(true)} />
          <main className="content" aria-label={title}>
            <QueryErrorResetBoundary>
              {({ reset }) => (
                // Keyed by page so that moving to another section clears a failure.
                <ErrorBoundary key={title} label={`the ${title} page`} onReset={reset}>
                  <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
                    <Page route={route} />
                  </Suspense>
                </ErrorBoundary>
              )}
            </QueryErrorResetBoundary>
          </main>
        </div>
      </div>
      <CommandPalette open={paletteOpen} onClose={() => setPaletteOpen(false)} />
    </SelectedClusterProvider>
  );
}
