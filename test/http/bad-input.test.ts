import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useSuiteTempDir } from '../helpers/temp-dir.js';
import { createApiWorld, errorOf, type ApiWorld } from './api-fixture.js';
import { ROUTE_CASES } from './route-cases.js';

interface JsonSchema {
  type?: string;
  maxLength?: number;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
}

interface Operation {
  parameters?: { in: string; name: string; schema: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** A value of the wrong type for a JSON body field. */
function wrongType(schema: JsonSchema): unknown {
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'boolean':
      return 'maybe';
    case 'array':
      return 'not-a-list';
    case 'object':
      return 'not-an-object';
    default:
      return 'not-a-number';
  }
}

/** A text a query or path parameter must refuse. */
function badText(schema: JsonSchema): string {
  if (schema.format === 'uuid') return 'not-a-uuid';
  if (schema.enum) return 'no-such-option';
  if (schema.type === 'integer' || schema.type === 'number') return 'abc';
  return 'x'.repeat((schema.maxLength ?? 10_000) + 1);
}

interface Probe {
  name: string;
  field: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/**
 * Bad input on every field of every route's schema, generated from the
 * OpenAPI document, so a field added later is probed too.
 */
describe('bad input on every field', () => {
  const tempDir = useSuiteTempDir();
  let world: ApiWorld;
  let paths: Record<string, Record<string, Operation>>;
  beforeAll(async () => {
    world = await createApiWorld(tempDir(), { loginRateLimit: { max: 10_000, windowMs: 60_000 } });
    paths = (await world.server.inject({ url: '/api/openapi.json' })).json().paths;
  });
  afterAll(async () => world.close());

  async function probesOf(key: string): Promise<Probe[]> {
    const [method, pattern] = key.split(' ') as [string, string];
    const op = paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    if (!op) return [];
    const admin = await world.browser('admin');
    const valid = await ROUTE_CASES[key]!.request(world, admin);
    const probes: Probe[] = [];

    for (const p of op.parameters ?? []) {
      const bad = encodeURIComponent(badText(p.schema));
      if (p.in === 'query') {
        const url = new URL(valid.url, 'http://x');
        url.searchParams.delete(p.name);
        probes.push({
          name: `query ${p.name}`,
          field: p.name,
          url: `${url.pathname}${url.search ? `${url.search}&` : '?'}${p.name}=${bad}`,
          payload: valid.payload,
        });
      } else if (p.in === 'path') {
        const url = pattern.replace(/:(\w+)/g, (_, n: string) =>
          n === p.name ? bad : valid.url.split('/')[pattern.split('/').indexOf(`:${n}`)]!,
        );
        probes.push({ name: `path ${p.name}`, field: p.name, url, payload: valid.payload });
      }
    }

    const body = op.requestBody?.content['application/json']?.schema;
    const base = (valid.payload ?? {}) as Record<string, unknown>;
    for (const [prop, schema] of Object.entries(body?.properties ?? {})) {
      probes.push({
        name: `body ${prop}`,
        field: prop,
        url: valid.url,
        payload: { ...base, [prop]: wrongType(schema) },
      });
      for (const [inner, innerSchema] of Object.entries(schema.properties ?? {})) {
        probes.push({
          name: `body ${prop}.${inner}`,
          field: `${prop}.${inner}`,
          url: valid.url,
          payload: { [prop]: { [inner]: wrongType(innerSchema) } },
        });
      }
    }
    if (body) {
      probes.push({
        name: 'body unknown field',
        field: 'surprise',
        url: valid.url,
        payload: { ...base, surprise: 1 },
      });
    }
    return probes.map((p) => ({ ...p, headers: valid.headers ?? {} }));
  }

  for (const key of Object.keys(ROUTE_CASES)) {
    it(`${key}: each bad field is refused with 400 naming it`, async () => {
      const [method] = key.split(' ') as [HTTPMethods];
      for (const probe of await probesOf(key)) {
        const admin = await world.browser('admin');
        const res = await world.server.inject({
          method,
          url: probe.url,
          headers: { ...admin.headers, ...probe.headers },
          ...(probe.payload === undefined ? {} : { payload: probe.payload as object }),
        });
        expect(res.statusCode, `${probe.name}: ${res.body.slice(0, 200)}`).toBe(400);
        expect(errorOf(res), probe.name).toMatchObject({
          code: 'HTTP_BAD_INPUT',
          field: probe.field,
        });
      }
    });
  }

  /** Every route with a JSON body, the valid request of each. */
  async function jsonBodyRoutes() {
    const routes: { key: string; method: HTTPMethods; schema: JsonSchema; url: string }[] = [];
    for (const key of Object.keys(ROUTE_CASES)) {
      const [method, pattern] = key.split(' ') as [HTTPMethods, string];
      const op = paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      const schema = op?.requestBody?.content['application/json']?.schema;
      if (!schema) continue;
      const valid = await ROUTE_CASES[key]!.request(world, await world.browser('admin'));
      routes.push({ key, method, schema, url: valid.url });
    }
    return routes;
  }

  it('answers a body that is not JSON with 400 HTTP_BAD_JSON on every route that takes one', async () => {
    const routes = await jsonBodyRoutes();
    expect(routes.length).toBeGreaterThan(10);
    for (const route of routes) {
      const admin = await world.browser('admin');
      const res = await world.server.inject({
        method: route.method,
        url: route.url,
        headers: { ...admin.headers, 'content-type': 'application/json' },
        payload: '{"password": "hunter2-secret", oops',
      });
      expect(res.statusCode, `${route.key}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(errorOf(res), route.key).toEqual({
        code: 'HTTP_BAD_JSON',
        field: 'body',
        message: 'body: is not valid JSON; send a JSON document (Content-Type: application/json)',
      });
    }
    const admin = await world.browser('admin');
    const empty = await world.server.inject({
      method: routes[0]!.method,
      url: routes[0]!.url,
      headers: { ...admin.headers, 'content-type': 'application/json' },
      payload: '',
    });
    expect(empty.statusCode).toBe(400);
    expect(errorOf(empty)).toMatchObject({ code: 'HTTP_BAD_JSON', field: 'body' });
  });

  it('says a required body field left out is required, on every route', async () => {
    let probed = 0;
    for (const route of await jsonBodyRoutes()) {
      const required = route.schema.required?.[0];
      if (!required) continue;
      const admin = await world.browser('admin');
      const valid = await ROUTE_CASES[route.key]!.request(world, admin);
      const { [required]: _left, ...rest } = (valid.payload ?? {}) as Record<string, unknown>;
      const res = await world.server.inject({
        method: route.method,
        url: route.url,
        headers: { ...admin.headers, ...(valid.headers ?? {}) },
        payload: rest,
      });
      probed++;
      expect(res.statusCode, `${route.key}: ${res.body.slice(0, 200)}`).toBe(400);
      expect(errorOf(res), route.key).toMatchObject({
        field: required,
        message: `${required}: required`,
      });
    }
    expect(probed).toBeGreaterThan(5);
  });

  it('probes at least one field of every route that takes input', async () => {
    const withInput = Object.keys(ROUTE_CASES).filter((key) => {
      const [method, pattern] = key.split(' ') as [string, string];
      const op = paths[pattern.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
      return (op?.parameters?.length ?? 0) > 0 || op?.requestBody !== undefined;
    });
    expect(withInput.length).toBeGreaterThan(20);
    for (const key of withInput) expect((await probesOf(key)).length, key).toBeGreaterThan(0);
  });
});
