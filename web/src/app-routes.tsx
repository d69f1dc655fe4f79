import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './layout/app-layout.js';
import { RequirePermission, RequireSession } from './layout/require-session.js';
import { AuditPage } from './pages/audit-page.js';
import { DomainsPage } from './pages/domains-page.js';
import { MailQueryPage } from './pages/mail-query-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { RetractionDetailPage } from './pages/retraction-detail-page.js';
import { RetractionsPage } from './pages/retractions-page.js';
import { UsersPage } from './pages/users-page.js';

/** The portal's pages; each one names the permission it needs. */
export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <RequireSession />,
      children: [
        {
          element: <AppLayout />,
          children: [
            { index: true, element: <Navigate to="/trace" replace /> },
            { path: 'trace', element: guard('trace:read', <MailQueryPage />) },
            { path: 'retractions', element: guard('retractions:read', <RetractionsPage />) },
            {
              path: 'retractions/:id',
              element: guard('retractions:read', <RetractionDetailPage />),
            },
            { path: 'audit', element: guard('audit:read', <AuditPage />) },
            { path: 'admin/domains', element: guard('domains:read', <DomainsPage />) },
            { path: 'admin/users', element: guard('users:manage', <UsersPage />) },
            { path: '*', element: <NotFoundPage /> },
          ],
        },
      ],
    },
  ]);
}

function guard(need: Parameters<typeof RequirePermission>[0]['need'], page: React.ReactNode) {
  return <RequirePermission need={need}>{page}</RequirePermission>;
}
