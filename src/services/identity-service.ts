/**
 * Camunda's identity service: users, groups and memberships with their checks and messages, password verification
 * (configured quick-start users first, then the database), and who may change what (members of `camunda-admin`).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthorizationError, BadUserRequestError, CamundaError, InvalidRequestError, NullValueError, ProcessEngineError } from '../core/errors.js';
import * as identity from '../persistence/identity-repository.js';
import type { GroupRow, UserRow } from '../persistence/identity-repository.js';
import { currentAuthentication, type Authentication } from './authentication.js';
import { CredentialCache } from './credential-cache.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { FailureCounter, userFailureKey } from '../core/failure-counter.js';
import { runCommand } from './run-command.js';
import { logIdentityOperation } from './user-operation-log.js';
import type { ServiceContext } from './service-context.js';

/** Camunda's administrators' group: its members may change users, groups and memberships. */
export const ADMIN_GROUP = 'camunda-admin';

/** Camunda's default `generalResourceWhitelistPattern` for user and group ids. */
export const DEFAULT_ID_PATTERN = '[a-zA-Z0-9]+|camunda-admin';

/** Camunda's resource names in authorization errors. */
const USER = 'User';
const GROUP = 'Group';
const GROUP_MEMBERSHIP = 'Group membership';

export interface UserProfileInput {
  id?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
}

export interface GroupInput {
  id?: string | null;
  name?: string | null;
  type?: string | null;
}

export interface IdentityOptions {
  /** BASIC_AUTH_USERS: user name → password, checked before the database; they act as administrators. */
  configuredUsers?: ReadonlyMap<string, string> | null;
  /** How long a successful password check is remembered on this node (0: never). */
  credentialCacheMs?: number;
  /** User and group ids must match it entirely (Camunda's whitelist pattern). */
  idPattern?: string;
  now?: () => number;
  /** The clock of the HTTP Basic lockout window (the authentication middleware's). */
  signInClock?: () => number;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Stands in for the password of an unknown user, so an unknown name costs the same comparison as a known one. */
const UNKNOWN_USER_DIGEST = digest('\u0000unknown user');

/**
 * Compares against the configured users as SHA-256 digests in constant time, so neither the content nor the length of
 * a password shows in the timing. Undefined when `userId` is not a configured user.
 */
export function matchesConfiguredUser(users: ReadonlyMap<string, string> | null | undefined, userId: string, password: string): boolean | undefined {
  const expected = users?.get(userId);
  const matches = timingSafeEqual(expected === undefined ? UNKNOWN_USER_DIGEST : digest(expected), digest(password));
  return expected === undefined ? undefined : matches;
}

export class IdentityService {
  private readonly cache: CredentialCache;
  private readonly verifyFailures: FailureCounter;
  /** HTTP Basic sign-in failures (the authentication middleware counts them here), cleared by unlockUser. */
  readonly loginFailures: FailureCounter;
  private readonly idPattern: RegExp;
  private readonly configuredUsers: ReadonlyMap<string, string> | null;

  constructor(private readonly ctx: ServiceContext, options: IdentityOptions = {}) {
    this.cache = new CredentialCache(options.credentialCacheMs ?? 60_000, options.now);
    this.verifyFailures = new FailureCounter(options.now ?? Date.now);
    this.loginFailures = new FailureCounter(options.signInClock ?? Date.now);
    this.idPattern = new RegExp(`^(?:${options.idPattern ?? DEFAULT_ID_PATTERN})$`);
    this.configuredUsers = options.configuredUsers ?? null;
  }

  private get db() {
    return this.ctx.database.knex;
  }

  /** Configured users first (they are administrators), then database users with their groups; null when neither matches. */
  async authenticate(userId: string, password: string): Promise<Authentication | null> {
    const configured = matchesConfiguredUser(this.configuredUsers, userId, password);
    if (configured !== undefined) return configured ? { userId, groupIds: [ADMIN_GROUP] } : null;
    if (!(await this.checkDatabasePassword(userId, password))) return null;
    return { userId, groupIds: await identity.groupIdsOfUser(this.db, userId) };
  }

  /** Camunda's `checkPassword`: whether the user exists and the password is theirs. */
  async checkPassword(userId: string, password: string): Promise<boolean> {
    return matchesConfiguredUser(this.configuredUsers, userId, password) ?? (await this.checkDatabasePassword(userId, password));
  }

  private async checkDatabasePassword(userId: string, password: string): Promise<boolean> {
    if (this.cache.has(userId, password)) return true;
    const valid = await verifyPassword(password, await identity.findPasswordHash(this.db, userId));
    if (valid) this.cache.remember(userId, password);
    return valid;
  }

  async groupIdsOfUser(userId: string): Promise<string[]> {
    return identity.groupIdsOfUser(this.db, userId);
  }

  // users

  async getUser(id: string): Promise<UserRow> {
    const user = await identity.findUser(this.db, id);
    if (!user) throw new InvalidRequestError(404, `User with id ${id} does not exist`);
    return user;
  }

  async createUser(profile: UserProfileInput | null | undefined, password: string | null | undefined): Promise<void> {
    if (!profile || typeof profile.id !== 'string') throw new InvalidRequestError(400, 'request object must provide profile information with valid id.');
    const id = profile.id;
    this.ensureValidId(USER, id);
    authorize('CREATE', USER, null);
    const passwordHash = typeof password === 'string' ? await hashPassword(password) : null;
    await runCommand(this.ctx, 'create user', async ({ tx }) => {
      if (await identity.findUser(tx, id)) throw new BadUserRequestError('The user already exists');
      await identity.insertUser(tx, { id, first_name: profile.firstName ?? null, last_name: profile.lastName ?? null, email: profile.email ?? null, password_hash: passwordHash }, this.ctx.clock.now());
      await logIdentityOperation(this.ctx, tx, 'Create', { user: id });
    });
  }

  async updateProfile(id: string, profile: UserProfileInput): Promise<void> {
    await this.getUser(id);
    authorize('UPDATE', USER, id, id);
    ensureSameId(USER, id, profile.id);
    await runCommand(this.ctx, 'update user profile', async ({ tx }) => {
      const found = await identity.updateUser(tx, id, { first_name: profile.firstName ?? null, last_name: profile.lastName ?? null, email: profile.email ?? null }, this.ctx.clock.now());
      if (!found) throw new InvalidRequestError(404, `User with id ${id} does not exist`);
      await logIdentityOperation(this.ctx, tx, 'Update', { user: id });
    });
  }

  /** As Camunda: an authenticated caller proves their own password first (400 otherwise), whoever's password changes. */
  async updateCredentials(id: string, password: string | null | undefined, authenticatedUserPassword: string | null | undefined): Promise<void> {
    const caller = currentAuthentication();
    if (caller && (typeof authenticatedUserPassword !== 'string' || !(await this.checkPassword(caller.userId, authenticatedUserPassword)))) {
      throw new InvalidRequestError(400, 'The given authenticated user password is not valid.');
    }
    await this.getUser(id);
    authorize('UPDATE', USER, id, id);
    // Without a password the user is saved unchanged, which Camunda records as an update all the same.
    const passwordHash = typeof password === 'string' ? await hashPassword(password) : undefined;
    await runCommand(this.ctx, 'update user credentials', async ({ tx }) => {
      if (!(await identity.updateUser(tx, id, passwordHash === undefined ? {} : { password_hash: passwordHash }, this.ctx.clock.now()))) throw new InvalidRequestError(404, `User with id ${id} does not exist`);
      await logIdentityOperation(this.ctx, tx, 'Update', { user: id });
    });
    this.cache.forget(id);
  }

  /**
   * The first administrator, in one transaction: the user, Camunda's `camunda-admin` group (type SYSTEM) unless it
   * exists, and the membership. Refuses an existing user, so running it twice changes nothing.
   */
  async createAdministrator(profile: UserProfileInput & { id: string }, password: string): Promise<{ groupCreated: boolean }> {
    this.ensureValidId(USER, profile.id);
    const passwordHash = await hashPassword(password);
    return runCommand(this.ctx, 'create administrator', async ({ tx }) => {
      if (await identity.findUser(tx, profile.id)) throw new ProcessEngineError(`A user with id '${profile.id}' already exists.`);
      await identity.insertUser(tx, { id: profile.id, first_name: profile.firstName ?? null, last_name: profile.lastName ?? null, email: profile.email ?? null, password_hash: passwordHash }, this.ctx.clock.now());
      const groupCreated = !(await identity.findGroup(tx, ADMIN_GROUP));
      if (groupCreated) await identity.insertGroup(tx, { id: ADMIN_GROUP, name: 'camunda BPM Administrators', type: 'SYSTEM' });
      await identity.insertMembership(tx, profile.id, ADMIN_GROUP);
      await logIdentityOperation(this.ctx, tx, 'Create', { user: profile.id });
      if (groupCreated) await logIdentityOperation(this.ctx, tx, 'Create', { group: ADMIN_GROUP });
      await logIdentityOperation(this.ctx, tx, 'Create', { user: profile.id, group: ADMIN_GROUP });
      return { groupCreated };
    });
  }

  /** Deleting a user that does not exist does nothing, as in Camunda. */
  async deleteUser(id: string): Promise<void> {
    authorize('DELETE', USER, id);
    await runCommand(this.ctx, 'delete user', async ({ tx }) => {
      if (await identity.deleteUser(tx, id)) await logIdentityOperation(this.ctx, tx, 'Delete', { user: id });
    });
    this.cache.forget(id);
  }

  /** Camunda's unlockUser: ends a user's sign-in lockout (an administrator's operation; an unknown user is no error). */
  unlockUser(id: string): void {
    requireAdministrator();
    this.loginFailures.clear(userFailureKey(id));
    this.verifyFailures.clear(id);
  }

  /** Whether the caller may create, change and delete users and groups (for OPTIONS); `self` may change their own profile. */
  mayChange(self?: string): boolean {
    const caller = currentAuthentication();
    return !caller || caller.groupIds.includes(ADMIN_GROUP) || (self !== undefined && caller.userId === self);
  }

  // groups

  async getGroup(id: string): Promise<GroupRow> {
    const group = await identity.findGroup(this.db, id);
    if (!group) throw new InvalidRequestError(404, `Group with id ${id} does not exist`);
    return group;
  }

  async createGroup(group: GroupInput): Promise<void> {
    if (typeof group.id !== 'string') throw new NullValueError('groupId is null');
    const id = group.id;
    this.ensureValidId(GROUP, id);
    authorize('CREATE', GROUP, null);
    await runCommand(this.ctx, 'create group', async ({ tx }) => {
      if (await identity.findGroup(tx, id)) throw new BadUserRequestError('The group already exists');
      await identity.insertGroup(tx, { id, name: group.name ?? null, type: group.type ?? null });
      await logIdentityOperation(this.ctx, tx, 'Create', { group: id });
    });
  }

  async updateGroup(id: string, group: GroupInput): Promise<void> {
    await this.getGroup(id);
    authorize('UPDATE', GROUP, id);
    ensureSameId(GROUP, id, group.id);
    await runCommand(this.ctx, 'update group', async ({ tx }) => {
      if (!(await identity.updateGroup(tx, id, { name: group.name ?? null, type: group.type ?? null }))) throw new InvalidRequestError(404, `Group with id ${id} does not exist`);
      await logIdentityOperation(this.ctx, tx, 'Update', { group: id });
    });
  }

  async deleteGroup(id: string): Promise<void> {
    authorize('DELETE', GROUP, id);
    await runCommand(this.ctx, 'delete group', async ({ tx }) => {
      if (await identity.deleteGroup(tx, id)) await logIdentityOperation(this.ctx, tx, 'Delete', { group: id });
    });
  }

  async createMembership(groupId: string, userId: string): Promise<void> {
    authorize('CREATE', GROUP_MEMBERSHIP, groupId);
    await runCommand(this.ctx, 'create group membership', async ({ tx }) => {
      if (!(await identity.findUser(tx, userId))) throw new NullValueError(`No user found with id '${userId}'.: user is null`);
      if (!(await identity.findGroup(tx, groupId))) throw new NullValueError(`No group found with id '${groupId}'.: group is null`);
      if (!(await identity.insertMembership(tx, userId, groupId))) {
        throw new CamundaError(500, 'ProcessEnginePersistenceException', `The user '${userId}' is already a member of group '${groupId}'.`, { code: 0 });
      }
      await logIdentityOperation(this.ctx, tx, 'Create', { user: userId, group: groupId });
    });
  }

  /** Removing a membership that does not exist does nothing, as in Camunda. */
  async deleteMembership(groupId: string, userId: string): Promise<void> {
    authorize('DELETE', GROUP_MEMBERSHIP, groupId);
    await runCommand(this.ctx, 'delete group membership', async ({ tx }) => {
      if (await identity.deleteMembership(tx, userId, groupId)) await logIdentityOperation(this.ctx, tx, 'Delete', { user: userId, group: groupId });
    });
  }

  /** `/identity/groups`: the user's groups by name and the other members of those groups. */
  async groupInfo(userId: string | undefined): Promise<{ groups: GroupRow[]; members: UserRow[] }> {
    if (userId === undefined) throw new InvalidRequestError(400, 'No user id was supplied');
    return identity.groupsWithMembersOfUser(this.db, userId);
  }

  /**
   * `/identity/verify`: both fields are required. Throttled per user name as HTTP Basic is, so it is no faster way to
   * guess a password: a name with too many failures in the window is answered false without a check.
   */
  async verify(username: unknown, password: unknown): Promise<boolean> {
    if (typeof username !== 'string' || typeof password !== 'string') throw new InvalidRequestError(400, 'Username and password are required');
    if (this.verifyFailures.isLocked(username)) return false;
    const valid = await this.checkPassword(username, password);
    if (valid) this.verifyFailures.clear(username);
    else this.verifyFailures.record(username);
    return valid;
  }

  private ensureValidId(resource: string, id: string): void {
    if (!this.idPattern.test(id)) throw new ProcessEngineError(`${resource} has an invalid id: '${id}' is not a valid resource identifier.`);
  }
}

/**
 * The path names the user or group a PUT changes; a body without `id` means it too. A body naming another id is
 * refused: ids never change (Operaton fails it as an optimistic locking conflict on the other id, and changes nothing).
 */
function ensureSameId(resource: string, id: string, bodyId: string | null | undefined): void {
  if (typeof bodyId === 'string' && bodyId !== id) throw new InvalidRequestError(400, `${resource} id '${bodyId}' of the body is not '${id}' of the path: the id of a ${resource.toLowerCase()} cannot change`);
}

/** Camunda's checkCamundaAdmin: operations only an administrator may run (none is needed without authentication). */
export function requireAdministrator(): void {
  const caller = currentAuthentication();
  if (caller && !caller.groupIds.includes(ADMIN_GROUP)) {
    throw new CamundaError(403, 'AuthorizationException', 'ENGINE-03029 Required admin authenticated group or user.', { fields: { userId: caller.userId, missingAuthorizations: [] } });
  }
}

/**
 * Without an authenticated user (authentication off, or the engine itself) everything is allowed, as in Camunda with
 * authorization checks off. Otherwise only administrators may, and a user may change their own profile and password.
 */
function authorize(permission: string, resource: string, resourceId: string | null, self?: string): void {
  const caller = currentAuthentication();
  if (!caller || caller.groupIds.includes(ADMIN_GROUP) || (self !== undefined && caller.userId === self)) return;
  throw new AuthorizationError(caller.userId, permission, resource, resourceId);
}
