import { FOLDER_INBOX, FOLDER_JUNK, FOLDER_TRASH } from '../model/folders.js';
import type { Mailbox, SimMessage } from '../model/mailbox.js';
import type { MailAddress } from '../model/address-list.js';
import { faults } from '../soap/soap-fault.js';
import { isInRange, parseDateTerm, type DateTermKind } from './date-range.js';
import { QuerySyntaxError } from './query-error.js';
import type { QueryNode } from './query-parser.js';

type Predicate = (message: SimMessage) => boolean;

/** A compiled query plus the folders it names, which lift the Trash/Junk exclusion. */
export interface CompiledQuery {
  matches: Predicate;
  includeTrash: boolean;
  includeJunk: boolean;
}

/** `in:` names that mean system folders whatever their display name (reference §3.3). */
const SYSTEM_NAMES: Record<string, number> = {
  inbox: FOLDER_INBOX,
  trash: FOLDER_TRASH,
  junk: FOLDER_JUNK,
  sent: 5,
  drafts: 6,
  contacts: 7,
};

interface CompileState {
  mailbox: Mailbox;
  nowMs: number;
  namedFolders: Set<number>;
  anywhere: boolean;
}

function addressText(list: MailAddress[]): string {
  return list
    .map((a) => `${a.personal ?? ''} <${a.address}>`)
    .join(', ')
    .toLowerCase();
}

function contains(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle.toLowerCase());
}

function resolveFolder(state: CompileState, value: string): number {
  const system = SYSTEM_NAMES[value.toLowerCase()];
  if (system !== undefined) return system;
  const folder = state.mailbox.findFolderByPath(value);
  if (folder === undefined) throw faults.noSuchFolderPath(value);
  return folder.id;
}

function parseId(value: string, term: QueryNode & { kind: 'term' }): number {
  if (!/^-?[0-9]+$/.test(value))
    throw new QuerySyntaxError('expected an item id', value, term.column);
  return Number(value);
}

function folderTerm(state: CompileState, id: number, recursive: boolean): Predicate {
  state.namedFolders.add(id);
  if (!recursive) return (m) => m.folderId === id;
  return (m) => state.mailbox.isUnder(m.folderId, id);
}

function isTerm(value: string, term: QueryNode & { kind: 'term' }, state: CompileState): Predicate {
  switch (value.toLowerCase()) {
    case 'anywhere':
      state.anywhere = true;
      return () => true;
    case 'unread':
      return (m) => m.flags.includes('u');
    case 'read':
      return (m) => !m.flags.includes('u');
    case 'flagged':
      return (m) => m.flags.includes('f');
    case 'unflagged':
      return (m) => !m.flags.includes('f');
    default:
      throw new QuerySyntaxError(`unknown is: value ${value}`, value, term.column);
  }
}

function itemTerm(value: string, term: QueryNode & { kind: 'term' }): Predicate {
  const lower = value.toLowerCase();
  if (lower === 'all') return () => true;
  if (lower === 'none') return () => false;
  const ids = new Set(value.split(',').map((v) => parseId(v.trim(), term)));
  return (m) => ids.has(m.id);
}

function dateTerm(
  kind: DateTermKind,
  term: QueryNode & { kind: 'term' },
  nowMs: number,
): Predicate {
  const range = parseDateTerm(kind, term.value, nowMs);
  if (range === undefined) {
    throw new QuerySyntaxError(`cannot parse date ${term.value}`, term.value, term.column);
  }
  return (m) => isInRange(m.date, range);
}

/**
 * FIXME: content terms are a case-insensitive substring search over the subject and the
 * raw body, not Lucene's tokenised index; word-boundary and stemming cases differ.
 */
function contentTerm(value: string): Predicate {
  return (m) => contains(m.parsed.subject, value) || contains(m.parsed.raw, value);
}

function compileTerm(term: QueryNode & { kind: 'term' }, state: CompileState): Predicate {
  const value = term.value;
  switch (term.field) {
    case 'msgid':
      return (m) => m.parsed.messageId === value;
    case 'from':
      return (m) => addressText(m.parsed.from).includes(value.toLowerCase());
    case 'to':
      return (m) => addressText(m.parsed.to).includes(value.toLowerCase());
    case 'cc':
      return (m) => addressText(m.parsed.cc).includes(value.toLowerCase());
    case 'subject':
      return (m) => contains(m.parsed.subject, value);
    case 'content':
      return contentTerm(value);
    case 'in':
    case 'under':
      return folderTerm(state, resolveFolder(state, value), term.field === 'under');
    case 'inid':
    case 'underid':
      return folderTerm(state, parseId(value, term), term.field === 'underid');
    case 'after':
    case 'before':
    case 'date':
      return dateTerm(term.field, term, state.nowMs);
    case 'is':
      return isTerm(value, term, state);
    case 'item':
      return itemTerm(value, term);
  }
}

function compileNode(node: QueryNode, state: CompileState): Predicate {
  if (node.kind === 'term') return compileTerm(node, state);
  if (node.kind === 'not') {
    const inner = compileNode(node.item, state);
    return (m) => !inner(m);
  }
  const items = node.items.map((item) => compileNode(item, state));
  if (node.kind === 'and') return (m) => items.every((p) => p(m));
  return (m) => items.some((p) => p(m));
}

/**
 * Compiles a parsed query against one mailbox. Throws QuerySyntaxError for values it
 * cannot read and a mail.NO_SUCH_FOLDER SoapFault for an unknown `in:` folder.
 */
export function compileQuery(node: QueryNode, mailbox: Mailbox, nowMs: number): CompiledQuery {
  const state: CompileState = { mailbox, nowMs, namedFolders: new Set(), anywhere: false };
  const matches = compileNode(node, state);
  const named = [...state.namedFolders];
  return {
    matches,
    includeTrash: state.anywhere || named.some((id) => mailbox.isUnder(id, FOLDER_TRASH)),
    includeJunk: state.anywhere || named.includes(FOLDER_JUNK),
  };
}

/** Search results: the Trash subtree and Junk are left out unless the query lifts it (§3.4). */
export function isSearchable(message: SimMessage, query: CompiledQuery, mailbox: Mailbox): boolean {
  if (!query.includeJunk && message.folderId === FOLDER_JUNK) return false;
  if (!query.includeTrash && mailbox.isUnder(message.folderId, FOLDER_TRASH)) return false;
  return query.matches(message);
}
