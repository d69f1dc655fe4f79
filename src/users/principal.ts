import type { Role } from './roles.js';

/**
 * Who is calling: a signed-in user (cookie session) or an API token. `actor`
 * is what audit entries carry: `user:<name>` or `token:<name>`.
 */
export type Principal =
  | {
      kind: 'session';
      role: Role;
      actor: string;
      userId: string;
      userName: string;
      sessionIdHash: string;
      csrfToken: string;
    }
  | { kind: 'token'; role: Role; actor: string; tokenId: string; tokenName: string };

export function userActor(name: string): string {
  return `user:${name}`;
}

export function tokenActor(name: string): string {
  return `token:${name}`;
}
