/** Camunda's `links` on resources a request created: a self link to the resource. */
import type { Request } from 'express';

export interface AtomLink {
  method: string;
  href: string;
  rel: string;
}

export function engineRestBase(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

export function selfLink(req: Request, path: string): AtomLink[] {
  return [{ method: 'GET', href: `${engineRestBase(req)}${path}`, rel: 'self' }];
}
