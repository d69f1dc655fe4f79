import type { Socket } from 'node:net';

/** Who sent a request: the socket's remote address and port. */
export interface ClientAddress {
  ip: string;
  port: number;
}

/** Strips the IPv4-mapped prefix a dual-stack socket reports (`::ffff:127.0.0.1`). */
export function normaliseIp(ip: string): string {
  return ip.toLowerCase().startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

export function clientOf(socket: Socket): ClientAddress {
  return { ip: normaliseIp(socket.remoteAddress ?? ''), port: socket.remotePort ?? 0 };
}

export function isLoopback(ip: string): boolean {
  return ip === '::1' || ip.startsWith('127.');
}
