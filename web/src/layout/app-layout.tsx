import { useEffect, useRef } from 'react';
import { NavigationType, NavLink, Outlet, useLocation, useNavigationType } from 'react-router';
import { useSession } from '../api/session-context.js';
import type { Permission } from '../api/types.js';

interface NavEntry {
  to: string;
  label: string;
  need: Permission;
}

const SECTIONS: { title: string; entries: NavEntry[] }[] = [
  {
    title: 'Message Trace',
    entries: [{ to: '/trace', label: 'Mail Query', need: 'trace:read' }],
  },
  {
    title: 'Remediation',
    entries: [
      { to: '/retractions', label: 'Retractions', need: 'retractions:read' },
      { to: '/audit', label: 'Audit', need: 'audit:read' },
    ],
  },
  {
    title: 'Administration',
    entries: [
      { to: '/admin/domains', label: 'Threat Remediation', need: 'domains:read' },
      { to: '/admin/users', label: 'Users', need: 'users:manage' },
    ],
  },
];

/** The frame of every signed-in page: skip link, navigation, who is signed in. */
export function AppLayout() {
  const { session, signOut, can } = useSession();
  const mainRef = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const navigationType = useNavigationType();
  const shownPath = useRef(pathname);

  // After navigating, focus the new page's content so keyboard and screen
  // reader users start there rather than back in the navigation. Not on the
  // first page nor after a redirect: there the skip link comes first.
  useEffect(() => {
    if (shownPath.current === pathname) return;
    shownPath.current = pathname;
    if (navigationType !== NavigationType.Replace) mainRef.current?.focus({ preventScroll: true });
  }, [pathname, navigationType]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Retract</span>
        <span className="who">
          {session?.name} <span className="role-badge">{session?.role}</span>
        </span>
        <button type="button" className="button-quiet" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <nav className="sidebar" aria-label="Main">
        {SECTIONS.map((section) => {
          const entries = section.entries.filter((e) => can(e.need));
          if (entries.length === 0) return null;
          return (
            <div key={section.title} className="nav-section">
              <h2 className="nav-title">{section.title}</h2>
              <ul>
                {entries.map((e) => (
                  <li key={e.to}>
                    <NavLink to={e.to}>{e.label}</NavLink>
                  </li>
                ))}
              </ul>
            </div>
          );
        })}
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} className="content">
        <Outlet />
      </main>
    </div>
  );
}
