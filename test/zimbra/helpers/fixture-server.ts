import { expect } from 'vitest';
import { FakeServer, type SeenRequest } from './fake-server.js';
import { loadFixture, responseOf, type Fixture } from './fixtures.js';

/**
 * A FakeServer that answers each POST with the next queued fixture's response
 * and remembers which fixture each request was meant to match.
 */
export class FixtureServer {
  readonly server: FakeServer;
  readonly #queue: string[] = [];
  readonly exchanges: { fixture: string; request: SeenRequest }[] = [];

  private constructor(server: FakeServer) {
    this.server = server;
  }

  static async start(): Promise<FixtureServer> {
    const holder: { self?: FixtureServer } = {};
    const server = await FakeServer.start((request, res) => {
      const self = holder.self!;
      const name = self.#queue.shift();
      if (name === undefined) {
        res.writeHead(599).end();
        return;
      }
      self.exchanges.push({ fixture: name, request });
      const { text, contentType, headers } = responseOf(loadFixture(name));
      res
        .writeHead(loadFixture(name).httpStatus, { ...headers, 'content-type': contentType })
        .end(text);
    });
    holder.self = new FixtureServer(server);
    return holder.self;
  }

  get soapUrl(): string {
    return this.server.soapUrl;
  }

  queue(...names: string[]): void {
    this.#queue.push(...names);
  }

  /** Every request so far carried exactly its fixture's envelope, key order included. */
  expectExactRequests(): void {
    for (const { fixture, request } of this.exchanges) {
      const expected: Fixture['request'] = loadFixture(fixture).request;
      expect(request.json, fixture).toEqual(expected);
      expect(request.bodyText, fixture).toBe(JSON.stringify(expected));
    }
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
