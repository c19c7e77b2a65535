/** LISTEN/NOTIFY wake-ups behind one interface, for PostgreSQL (dedicated client) and PGlite (its own session). */
import type { PGlite } from '@electric-sql/pglite';
import type { Knex } from 'knex';
import pg from 'pg';

/** An error's type and code only: log lines never carry messages, which may quote data (README, No patient data in logs). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? `${error.name} ${code}` : error.name;
}

export type NotificationHandler = (payload: string) => void;

/** The payload handlers receive after a reconnect: notifications sent meanwhile were lost. */
export const MISSED_NOTIFICATIONS = '';

/**
 * Notifications are wake-up hints, not messages: ones sent while a PostgreSQL listener is reconnecting are lost;
 * after the reconnect every handler receives MISSED_NOTIFICATIONS, so it can look again instead of polling. On PGlite, listen() queues on the single
 * knex session: never call it inside a knex transaction callback (it would wait for that transaction to end).
 */
export interface Notifier {
  /** Resolves once LISTEN is in effect; the returned function removes this handler again. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// Lower-case identifiers only: LISTEN folds unquoted names while pg_notify() does not, so anything else would
// silently never match on one of the two back ends.
const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) {
    throw new Error(`Invalid notification channel "${channel}": use lower-case letters, digits and _ (max 63)`);
  }
}

/** Sends a notification; inside a transaction it is delivered on commit and dropped on rollback. */
export async function notify(db: Knex | Knex.Transaction, channel: string, payload: string): Promise<void> {
  checkChannel(channel);
  await db.raw('select pg_notify(?, ?)', [channel, payload]);
}

/** Routes notifications to the handlers of their channel; a throwing handler must not starve the others. */
class HandlerRegistry {
  readonly byChannel = new Map<string, Set<NotificationHandler>>();

  constructor(private readonly log: (msg: string) => void) {}

  /** Returns true when this is the channel's first handler (the caller must LISTEN). */
  add(channel: string, handler: NotificationHandler): boolean {
    const existing = this.byChannel.get(channel);
    if (existing) {
      existing.add(handler);
      return false;
    }
    this.byChannel.set(channel, new Set([handler]));
    return true;
  }

  /** Returns true when the channel has no handler left (the caller should UNLISTEN). */
  remove(channel: string, handler: NotificationHandler): boolean {
    const set = this.byChannel.get(channel);
    if (!set || !set.delete(handler) || set.size > 0) return false;
    this.byChannel.delete(channel);
    return true;
  }

  dispatch(channel: string, payload: string): void {
    for (const handler of this.byChannel.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        this.log(`notification handler for "${channel}" threw ${describeError(error)}`);
      }
    }
  }
}

export interface PostgresNotifierOptions {
  /** Connection settings of the dedicated LISTEN client (not from the pool: a pooled connection gets reused). */
  connection: pg.ClientConfig;
  log?: (msg: string) => void;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** One dedicated pg.Client, connected on first listen; after a drop it reconnects with backoff and re-LISTENs. */
export function createPostgresNotifier(options: PostgresNotifierOptions): Notifier {
  const log = options.log ?? (() => {});
  const minBackoff = options.minBackoffMs ?? 100;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const registry = new HandlerRegistry(log);
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let backoff = minBackoff;
  let closed = false;
  const pendingListens = new Map<string, Promise<unknown>>();

  const quote = (channel: string): string => `"${channel}"`;

  async function connect(): Promise<pg.Client> {
    const next = new pg.Client({ application_name: 'engine-notifier', ...options.connection });
    next.on('notification', (msg) => registry.dispatch(msg.channel, msg.payload ?? ''));
    // Without an 'error' listener a dropped connection would crash the process.
    next.on('error', (error) => onDrop(next, error));
    next.on('end', () => onDrop(next));
    try {
      await next.connect();
      for (const channel of registry.byChannel.keys()) await next.query(`LISTEN ${quote(channel)}`);
    } catch (error) {
      next.removeAllListeners('end');
      await next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await next.end().catch(() => {});
      throw new Error('Notifier closed');
    }
    client = next;
    backoff = minBackoff;
    return next;
  }

  function ensureConnected(): Promise<pg.Client> {
    if (client) return Promise.resolve(client);
    if (!connecting) {
      connecting = connect().finally(() => {
        connecting = undefined;
      });
    }
    return connecting;
  }

  function onDrop(dropped: pg.Client, error?: Error): void {
    if (closed || dropped !== client) return;
    client = undefined;
    log(`notifier connection lost${error ? ` (${describeError(error)})` : ''}; reconnecting`);
    scheduleReconnect();
  }

  function scheduleReconnect(): void {
    if (closed || reconnectTimer) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      ensureConnected().then(
        () => {
          log('notifier reconnected');
          // Whatever was sent while disconnected is lost: tell every listener so it can look again.
          for (const channel of registry.byChannel.keys()) registry.dispatch(channel, MISSED_NOTIFICATIONS);
        },
        (error: Error) => {
          if (closed) return;
          backoff = Math.min(backoff * 2, maxBackoff);
          log(`notifier reconnect failed (${describeError(error)}); retrying in ${backoff} ms`);
          scheduleReconnect();
        },
      );
    }, backoff);
    // Reconnecting alone must not keep a process alive that is otherwise done.
    reconnectTimer.unref();
  }

  return {
    async listen(channel, handler) {
      checkChannel(channel);
      if (closed) throw new Error('Notifier closed');
      const first = registry.add(channel, handler);
      try {
        if (first) {
          const issued = ensureConnected().then((current) => current.query(`LISTEN ${quote(channel)}`));
          pendingListens.set(channel, issued);
          await issued.finally(() => pendingListens.delete(channel));
        } else {
          // A concurrent first listener may still be issuing LISTEN; resolve only once it is in effect.
          await (pendingListens.get(channel) ?? ensureConnected());
        }
      } catch (error) {
        registry.remove(channel, handler);
        throw error;
      }
      let removed = false;
      return async () => {
        if (removed) return;
        removed = true;
        if (registry.remove(channel, handler) && client) {
          // A failure here means the connection dropped; the reconnect will not LISTEN to this channel again.
          await client.query(`UNLISTEN ${quote(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      registry.byChannel.clear();
      const pending = connecting;
      const current = client;
      client = undefined;
      if (current) await current.end().catch(() => {});
      if (pending) await pending.then((c) => c.end()).catch(() => {});
    },
  };
}

/**
 * PGlite has a single session shared with knex, so LISTEN/UNLISTEN go through knex (queued behind any open
 * transaction instead of landing inside it, which pglite.listen would do) and delivery uses onNotification.
 */
export function createPgliteNotifier(pglite: PGlite, knex: Knex, log: (msg: string) => void = () => {}): Notifier {
  const registry = new HandlerRegistry(log);
  const unsubscribe = pglite.onNotification((channel, payload) => registry.dispatch(channel, payload));
  let closed = false;

  return {
    async listen(channel, handler) {
      checkChannel(channel);
      if (closed) throw new Error('Notifier closed');
      if (registry.add(channel, handler)) {
        try {
          await knex.raw(`LISTEN "${channel}"`);
        } catch (error) {
          registry.remove(channel, handler);
          throw error;
        }
      }
      let removed = false;
      return async () => {
        if (removed) return;
        removed = true;
        if (registry.remove(channel, handler) && !closed) await knex.raw(`UNLISTEN "${channel}"`);
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      registry.byChannel.clear();
      unsubscribe();
    },
  };
}
