import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { useSession } from '../api/session-context.js';
import type { Permission } from '../api/types.js';
import { SignInPage } from '../pages/sign-in-page.js';

/** Shows the sign-in form in place of any page until someone is signed in. */
export function RequireSession() {
  const { session } = useSession();
  if (session === undefined) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (session === null) return <SignInPage />;
  return <Outlet />;
}

/** A page the signed-in role may not see says so instead of failing half-way. */
export function RequirePermission({ need, children }: { need: Permission; children: ReactNode }) {
  const { can, session } = useSession();
  if (can(need)) return <>{children}</>;
  return (
    <section>
      <h1>Not available</h1>
      <p>The {session?.role} role cannot open this page.</p>
    </section>
  );
}
