import { useAppInfo } from '../api/hooks';
import { hrefFor, sectionOf, sections, type Route } from '../routing';
import { Icon } from './Icon';

export function Sidebar({ route }: { route: Route }) {
  const { data: info } = useAppInfo();
  return (
    <aside className="sidebar">
      <div className="brand">
        <span className="brand-mark">
          <Icon name="logo" />
        </span>
        <span className="brand-name">Samsa</span>
      </div>
      <nav aria-label="Sections">
        <ul className="nav-list">
          {sections.map((section) => {
            const current = sectionOf(route) === section.id;
            return (
              <li key={section.id}>
                <a className="nav-link" href={hrefFor(section.id)} aria-current={current ? 'page' : undefined}>
                  <Icon name={section.id} />
                  <span>{section.title}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </nav>
      <footer className="sidebar-footer">
        {info === undefined ? null : (
          <>
            <span>
              Samsa {info.version} · {info.mode === 'electron' ? 'desktop' : 'browser mode'}
            </span>
            <span className="sidebar-datadir" title={info.dataDir}>
              {info.dataDir}
            </span>
          </>
        )}
      </footer>
    </aside>
  );
}
