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

/** One operation of a resource: method, path below the resource, and Camunda's `rel`. */
export type ResourceLink = [method: string, suffix: string, rel: string];

/** ResourceOptionsDto (Camunda's answer to OPTIONS): the operations on a resource the caller may use, as links. */
export function resourceOptions(req: Request, path: string, links: readonly ResourceLink[]): { links: AtomLink[] } {
  return { links: links.map(([method, suffix, rel]) => ({ method, href: `${engineRestBase(req)}${path}${suffix}`, rel })) };
}
