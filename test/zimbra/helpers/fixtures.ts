import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One golden wire exchange from test/fixtures/zimbra. */
export interface Fixture {
  source: string;
  request: { Header: { context: Record<string, unknown> }; Body: Record<string, unknown> };
  httpStatus: number;
  response?: Record<string, unknown>;
  responseText?: string;
  contentType?: string;
  /** Extra response headers, e.g. the DoS filter's `DoSFilter: unavailable`. */
  headers?: Record<string, string>;
}

export const FIXTURE_DIR = fileURLToPath(new URL('../../fixtures/zimbra/', import.meta.url));

/** The key of §1.4's worked vectors; fixtures are signed with it at 1700000000000. */
export const VECTOR_KEY = '0b1c2d3e4f5a6b7c8d9e0fa1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5';
export const VECTOR_TIMESTAMP_MS = 1_700_000_000_000;

export function loadFixture(name: string): Fixture {
  return JSON.parse(readFileSync(`${FIXTURE_DIR}${name}.json`, 'utf8')) as Fixture;
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR)
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/\.json$/, ''));
}

/** The response body text, content type and extra headers a server would send for the fixture. */
export function responseOf(fixture: Fixture): {
  text: string;
  contentType: string;
  headers: Record<string, string>;
} {
  const headers = fixture.headers ?? {};
  if (fixture.responseText !== undefined) {
    return {
      text: fixture.responseText,
      contentType: fixture.contentType ?? 'text/xml; charset=utf-8',
      headers,
    };
  }
  return {
    text: JSON.stringify(fixture.response),
    contentType: 'text/javascript; charset=utf-8',
    headers,
  };
}

/** The token the fixtures' AuthResponse issues and later requests carry. */
export function fixtureToken(): string {
  const response = loadFixture('auth-request').response as {
    Body: { AuthResponse: { authToken: { _content: string }[] } };
  };
  return response.Body.AuthResponse.authToken[0]!._content;
}
