// SearchRequest semantics: /work/shared/reference/zimbra-soap.md §3, from zm-mailbox
// store/src/java/com/zimbra/cs/service/mail/Search.java, cs/index/query/parser/Parser.jjt,
// cs/index/ZimbraQuery.java (Trash/Junk exclusion) and cs/index/query/DateQuery.java.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../sim/index.js';
import { faultCode, login, rawMessage, soap, type SoapAnswer } from './sim-helpers.js';

const T = 1_700_000_000_000;
const NS = 'urn:zimbraMail';
let sim: Simulator;
let key: string;
let token: string;
let account: string;
let n = 0;

beforeAll(async () => {
  sim = await startSimulator({ now: () => T });
  key = sim.addDomain('example.com').preauthKey;
});

afterAll(async () => {
  await sim.close();
});

beforeEach(async () => {
  n += 1;
  account = `user${n}@example.com`;
  sim.addAccount(account);
  token = await login(sim.soapUrl, key, account, T);
});

function search(query: string, extra: object = {}): Promise<SoapAnswer> {
  return soap(sim.soapUrl, 'SearchRequest', NS, { types: 'message', query, ...extra }, token);
}

function hitIds(answer: SoapAnswer): string[] {
  expect(answer.status).toBe(200);
  return (answer.json.Body.SearchResponse.m ?? []).map((m: { id: string }) => m.id);
}

describe('msgid: terms', () => {
  it('finds a message by its bracket-less Message-ID and returns the hit fields', async () => {
    const id = sim.fileMessage(account, rawMessage('<CAF123abc@mail.evil.example>', 'Urgent'));
    const answer = await search('msgid:"CAF123abc@mail.evil.example"');
    const hit = answer.json.Body.SearchResponse.m[0];
    expect(hit).toMatchObject({ id, l: '2', cid: `-${id}`, f: 'u', su: 'Urgent', cm: true });
    expect(hit.d).toBe(T);
    expect(hit.sf).toBe(String(T));
    expect(typeof hit.s).toBe('number');
    expect(typeof hit.rev).toBe('number');
    expect(hit.e).toEqual([{ a: 'payroll@evil.example', d: 'Payroll', p: 'Payroll', t: 'f' }]);
    expect(answer.json.Body.SearchResponse).toMatchObject({
      sortBy: 'dateDesc',
      offset: 0,
      more: false,
    });
  });

  it('finds nothing when the query keeps the angle brackets', async () => {
    sim.fileMessage(account, rawMessage('<with-brackets@x.example>'));
    const answer = await search('msgid:"<with-brackets@x.example>"');
    expect(answer.json.Body.SearchResponse.m).toBeUndefined();
    expect(answer.json.Body.SearchResponse.more).toBe(false);
  });

  it('matches Message-IDs case-sensitively', async () => {
    sim.fileMessage(account, rawMessage('<CaseID@x.example>'));
    expect(hitIds(await search('msgid:"caseid@x.example"'))).toEqual([]);
    expect(hitIds(await search('msgid:CaseID@x.example'))).toHaveLength(1);
  });

  it('reads \\" inside a quoted id as a literal quote', async () => {
    const id = sim.fileMessage(account, rawMessage('<"odd"id@x.example>'));
    expect(hitIds(await search('msgid:"\\"odd\\"id@x.example"'))).toEqual([id]);
  });

  it('accepts braces as quoting', async () => {
    const id = sim.fileMessage(account, rawMessage('<a b(c)@x.example>'));
    expect(hitIds(await search('msgid:{a b(c)@x.example}'))).toEqual([id]);
  });

  it('keeps messages without a Message-ID out of msgid: results', async () => {
    sim.fileMessage(account, rawMessage(null));
    expect(hitIds(await search('msgid:""'))).toEqual([]);
  });
});

describe('Trash and Junk exclusion', () => {
  let inbox: string;
  let trash: string;
  let junk: string;
  let trashChild: string;

  beforeEach(() => {
    const raw = rawMessage('<same@x.example>');
    inbox = sim.fileMessage(account, raw);
    trash = sim.fileMessage(account, raw, { folderId: '3' });
    junk = sim.fileMessage(account, raw, { folderId: '4' });
    const sub = sim.createFolder(account, 'Old', '3');
    trashChild = sim.fileMessage(account, raw, { folderId: sub });
  });

  it('leaves Trash, its subfolders and Junk out by default', async () => {
    expect(hitIds(await search('msgid:"same@x.example"'))).toEqual([inbox]);
  });

  it('includes everything with is:anywhere', async () => {
    const ids = hitIds(await search('msgid:"same@x.example" is:anywhere'));
    expect(ids.sort()).toEqual([inbox, trash, junk, trashChild].sort());
  });

  it('includes Trash when the query names it with in:', async () => {
    expect(hitIds(await search('msgid:"same@x.example" in:trash'))).toEqual([trash]);
  });

  it('includes Junk when the query names it with in:', async () => {
    expect(hitIds(await search('msgid:"same@x.example" in:junk'))).toEqual([junk]);
  });

  it('includes Trash for inid:3 and under:trash', async () => {
    expect(hitIds(await search('msgid:"same@x.example" inid:3'))).toEqual([trash]);
    const under = hitIds(await search('msgid:"same@x.example" under:trash'));
    expect(under.sort()).toEqual([trash, trashChild].sort());
  });
});

describe('paging', () => {
  it('pages 137 copies with limit, offset and more, each id once', async () => {
    const made = new Set<string>();
    for (let i = 0; i < 137; i += 1) {
      made.add(sim.fileMessage(account, rawMessage('<many@x.example>'), { date: T - i * 1000 }));
    }
    const seen: string[] = [];
    let offset = 0;
    let more = true;
    let pages = 0;
    while (more) {
      const answer = await search('msgid:"many@x.example"', { limit: 50, offset });
      const body = answer.json.Body.SearchResponse;
      expect(body.offset).toBe(offset);
      seen.push(...hitIds(answer));
      more = body.more;
      offset += body.m.length;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(137);
    expect(new Set(seen)).toEqual(made);
  });

  it('defaults the limit to 10 when absent or not positive and clamps to 1000', async () => {
    for (let i = 0; i < 12; i += 1) sim.fileMessage(account, rawMessage('<ten@x.example>'));
    expect(hitIds(await search('msgid:"ten@x.example"'))).toHaveLength(10);
    expect(hitIds(await search('msgid:"ten@x.example"', { limit: 0 }))).toHaveLength(10);
    expect(hitIds(await search('msgid:"ten@x.example"', { limit: -5 }))).toHaveLength(10);
    const all = await search('msgid:"ten@x.example"', { limit: 5000 });
    expect(hitIds(all)).toHaveLength(12);
    expect(all.json.Body.SearchResponse.more).toBe(false);
  });

  it('sorts by date, newest first by default and oldest first with dateAsc', async () => {
    const old = sim.fileMessage(account, rawMessage('<s@x.example>'), { date: T - 5000 });
    const recent = sim.fileMessage(account, rawMessage('<s@x.example>'), { date: T - 1000 });
    expect(hitIds(await search('msgid:"s@x.example"'))).toEqual([recent, old]);
    const asc = await search('msgid:"s@x.example"', { sortBy: 'dateAsc' });
    expect(hitIds(asc)).toEqual([old, recent]);
    expect(asc.json.Body.SearchResponse.sortBy).toBe('dateAsc');
  });
});

describe('types', () => {
  it('returns conversation hits, not message hits, when types is absent', async () => {
    const id = sim.fileMessage(account, rawMessage('<conv@x.example>'));
    const answer = await soap(
      sim.soapUrl,
      'SearchRequest',
      NS,
      { query: 'msgid:"conv@x.example"' },
      token,
    );
    const body = answer.json.Body.SearchResponse;
    expect(body.m).toBeUndefined();
    expect(body.c[0].id).toBe(`-${id}`);
    expect(body.c[0].m).toEqual([{ id, l: '2' }]);
  });
});

describe('other terms', () => {
  it('matches from:, to: and subject: case-insensitively', async () => {
    const id = sim.fileMessage(account, rawMessage('<t@x.example>', 'Quarterly Invoice'));
    expect(hitIds(await search('from:PAYROLL@evil.example'))).toEqual([id]);
    expect(hitIds(await search('to:someone@example.com'))).toEqual([id]);
    expect(hitIds(await search('subject:"quarterly invoice"'))).toEqual([id]);
    expect(hitIds(await search('subject:nothing-like-it'))).toEqual([]);
  });

  it('decodes RFC 2047 subjects before matching and returning them', async () => {
    const id = sim.fileMessage(
      account,
      rawMessage('<q@x.example>', '=?UTF-8?B?w5xiZXJ3ZWlzdW5n?='),
    );
    const answer = await search('subject:überweisung');
    expect(hitIds(answer)).toEqual([id]);
    expect(answer.json.Body.SearchResponse.m[0].su).toBe('Überweisung');
  });

  it('resolves in: by folder path and item: by id', async () => {
    const folder = sim.createFolder(account, 'Projects');
    const id = sim.fileMessage(account, rawMessage('<p@x.example>'), { folderId: folder });
    expect(hitIds(await search('in:Projects'))).toEqual([id]);
    expect(hitIds(await search('in:"/projects"'))).toEqual([id]);
    expect(hitIds(await search(`item:${id}`))).toEqual([id]);
    expect(hitIds(await search(`item:{${id},99999}`))).toEqual([id]);
  });

  it('answers NO_SUCH_FOLDER for in: naming an unknown folder', async () => {
    expect(faultCode(await search('in:"No Such Folder"'))).toBe('mail.NO_SUCH_FOLDER');
  });

  it('combines terms with OR, NOT and parentheses', async () => {
    const a = sim.fileMessage(account, rawMessage('<a@x.example>', 'alpha'));
    const b = sim.fileMessage(account, rawMessage('<b@x.example>', 'beta'));
    expect(hitIds(await search('subject:alpha OR subject:beta')).sort()).toEqual([a, b].sort());
    expect(hitIds(await search('(subject:alpha OR subject:beta) -subject:beta'))).toEqual([a]);
    expect(hitIds(await search('subject:alpha subject:beta'))).toEqual([]);
  });
});

describe('after: and before: (DateQuery semantics)', () => {
  let at: string;
  let later: string;

  beforeEach(() => {
    at = sim.fileMessage(account, rawMessage('<d@x.example>'), { date: T });
    later = sim.fileMessage(account, rawMessage('<d@x.example>'), { date: T + 1000 });
  });

  it('after:T matches only dates from T+1000 on', async () => {
    expect(hitIds(await search(`msgid:"d@x.example" after:${T}`))).toEqual([later]);
    expect(hitIds(await search(`msgid:"d@x.example" after:${T - 1000}`)).sort()).toEqual(
      [at, later].sort(),
    );
  });

  it('before:T matches dates strictly before T', async () => {
    expect(hitIds(await search(`msgid:"d@x.example" before:${T}`))).toEqual([]);
    expect(hitIds(await search(`msgid:"d@x.example" before:${T + 1}`))).toEqual([at]);
  });

  it('date:>=T and date:<T bound inclusively and exclusively', async () => {
    expect(hitIds(await search(`msgid:"d@x.example" date:>=${T + 1000}`))).toEqual([later]);
    expect(hitIds(await search(`msgid:"d@x.example" date:<${T + 1000}`))).toEqual([at]);
  });
});

describe('query errors', () => {
  for (const query of [
    'msgid:"unterminated',
    'bogus:field',
    'msgid:',
    '(in:inbox',
    'after:yesterday-ish',
    'is:sometimes',
    'after:>5',
  ]) {
    it(`answers QUERY_PARSE_ERROR for ${query}`, async () => {
      const answer = await search(query);
      expect(answer.status).toBe(500);
      expect(faultCode(answer)).toBe('mail.QUERY_PARSE_ERROR');
      expect(answer.json.Body.Fault.Code.Value).toBe('soap:Sender');
      const args = answer.json.Body.Fault.Detail.Error.a.map((a: { n: string }) => a.n);
      expect(args).toEqual(['curTok', 'colNo', 'parserErr']);
    });
  }
});
