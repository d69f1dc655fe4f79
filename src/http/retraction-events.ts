import type { FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import type { RetractionEvent } from '../retraction/index.js';
import type { ApiContext } from './api-types.js';
import { toDetailOut, toMailboxOut } from './retraction-schemas.js';

/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events for one retraction. Listens first, then reads the
 * current state, so an event that lands in between is queued rather than
 * lost: a late subscriber misses nothing. Sends `state` (detail and every
 * mailbox), `task` per mailbox as it settles, and `finished` when the run
 * or restore ends; when nothing of the retraction runs in this process, it
 * sends `state` and `finished` at once and closes.
 */
export async function streamRetractionEvents(
  ctx: ApiContext,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
) {
  const service = ctx.app.retractions;
  const stream = new PassThrough();
  const pending: RetractionEvent[] = [];
  let live = false;
  let finishing = false;
  let ended = false;

  const send = (name: string, data: unknown) => {
    if (!ended) stream.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const finish = async (phase: string) => {
    if (finishing) return;
    finishing = true;
    send('finished', {
      phase,
      retraction: toDetailOut(await service.report(id), service.isBusy(id)),
    });
    close();
  };
  const deliver = (e: RetractionEvent) => {
    if (e.type === 'task.settled') return send('task', toMailboxOut(e.mailbox));
    void finish(e.type === 'restore.finished' ? 'restore' : 'retraction').catch(close);
  };
  const unsubscribe = service.subscribe((e) => {
    if (e.retractionId !== id) return;
    if (live) deliver(e);
    else pending.push(e);
  });
  const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(heartbeat);
    stream.end();
  };

  let report;
  try {
    report = await service.report(id);
  } catch (err) {
    close();
    throw err;
  }
  reply.raw.on('close', close);
  request.log.debug({ retractionId: id }, 'event stream opened');

  send('state', {
    retraction: toDetailOut(report, service.isBusy(id)),
    mailboxes: report.mailboxes.map(toMailboxOut),
  });
  live = true;
  for (const e of pending.splice(0)) deliver(e);
  if (!service.isBusy(id)) await finish('idle');

  return reply
    .header('content-type', 'text/event-stream; charset=utf-8')
    .header('cache-control', 'no-cache, no-transform')
    .header('x-accel-buffering', 'no')
    .send(stream);
}
