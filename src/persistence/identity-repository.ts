/** Users, groups and memberships (Camunda's identity tables); password hashes never leave through the list queries. */
import type { Db } from './database.js';
import { likePattern, pagedQuery } from './query-options.js';

export interface UserRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
}

export interface GroupRow {
  id: string;
  name: string | null;
  type: string | null;
}

export interface UserFilter {
  id?: string;
  idIn?: string[];
  firstName?: string;
  firstNameLike?: string;
  lastName?: string;
  lastNameLike?: string;
  email?: string;
  emailLike?: string;
  memberOfGroup?: string;
  /** There are no tenants or authorizations here: set, these match nobody, as in Camunda without them. */
  memberOfTenant?: string;
  potentialStarter?: string;
}

export interface GroupFilter {
  id?: string;
  idIn?: string[];
  name?: string;
  nameLike?: string;
  type?: string;
  member?: string;
  memberOfTenant?: string;
}

const USER_COLUMNS = ['u.id', 'u.first_name', 'u.last_name', 'u.email'];

function filteredUsers(db: Db, filter: UserFilter) {
  const query = db('identity_user as u');
  if (filter.id !== undefined) query.where('u.id', filter.id);
  if (filter.idIn) query.whereIn('u.id', filter.idIn);
  if (filter.firstName !== undefined) query.where('u.first_name', filter.firstName);
  if (filter.firstNameLike !== undefined) query.where('u.first_name', 'like', likePattern(filter.firstNameLike));
  if (filter.lastName !== undefined) query.where('u.last_name', filter.lastName);
  if (filter.lastNameLike !== undefined) query.where('u.last_name', 'like', likePattern(filter.lastNameLike));
  if (filter.email !== undefined) query.where('u.email', filter.email);
  if (filter.emailLike !== undefined) query.where('u.email', 'like', likePattern(filter.emailLike));
  if (filter.memberOfGroup !== undefined) {
    query.whereExists((sub) => sub.select(db.raw('1')).from('identity_membership as m').whereRaw('m.user_id = u.id').where('m.group_id', filter.memberOfGroup!));
  }
  if (filter.memberOfTenant !== undefined || filter.potentialStarter !== undefined) query.whereRaw('false');
  return query;
}

function filteredGroups(db: Db, filter: GroupFilter) {
  const query = db('identity_group as g');
  if (filter.id !== undefined) query.where('g.id', filter.id);
  if (filter.idIn) query.whereIn('g.id', filter.idIn);
  if (filter.name !== undefined) query.where('g.name', filter.name);
  if (filter.nameLike !== undefined) query.where('g.name', 'like', likePattern(filter.nameLike));
  if (filter.type !== undefined) query.where('g.type', filter.type);
  if (filter.member !== undefined) {
    query.whereExists((sub) => sub.select(db.raw('1')).from('identity_membership as m').whereRaw('m.group_id = g.id').where('m.user_id', filter.member!));
  }
  if (filter.memberOfTenant !== undefined) query.whereRaw('false');
  return query;
}

export const userQuery = pagedQuery<UserFilter, UserRow>({
  filtered: filteredUsers,
  columns: USER_COLUMNS,
  sortColumns: { userId: 'u.id', firstName: 'u.first_name', lastName: 'u.last_name', email: 'u.email' },
  tieBreaker: 'u.id',
});

export const groupQuery = pagedQuery<GroupFilter, GroupRow>({
  filtered: filteredGroups,
  columns: ['g.id', 'g.name', 'g.type'],
  sortColumns: { id: 'g.id', name: 'g.name', type: 'g.type' },
  tieBreaker: 'g.id',
});

export async function findUser(db: Db, id: string): Promise<UserRow | undefined> {
  return db('identity_user as u').select(USER_COLUMNS).where('u.id', id).first();
}

/** The stored hash of a user's password: undefined for an unknown user, null for one without a password. */
export async function findPasswordHash(db: Db, id: string): Promise<string | null | undefined> {
  const row = await db('identity_user').select('password_hash').where({ id }).first();
  return row === undefined ? undefined : (row.password_hash as string | null);
}

export async function insertUser(db: Db, user: UserRow & { password_hash: string | null }, now: Date): Promise<void> {
  await db('identity_user').insert({ ...user, created: now, updated: now });
}

/** Returns whether the user exists. */
export async function updateUser(db: Db, id: string, changes: Partial<Omit<UserRow, 'id'>> & { password_hash?: string | null }, now: Date): Promise<boolean> {
  return (await db('identity_user').where({ id }).update({ ...changes, updated: now })) > 0;
}

export async function deleteUser(db: Db, id: string): Promise<boolean> {
  return (await db('identity_user').where({ id }).delete().returning('id')).length > 0;
}

export async function findGroup(db: Db, id: string): Promise<GroupRow | undefined> {
  return db<GroupRow>('identity_group').select('id', 'name', 'type').where({ id }).first();
}

export async function insertGroup(db: Db, group: GroupRow): Promise<void> {
  await db('identity_group').insert(group);
}

export async function updateGroup(db: Db, id: string, changes: Omit<GroupRow, 'id'>): Promise<boolean> {
  return (await db('identity_group').where({ id }).update(changes)) > 0;
}

export async function deleteGroup(db: Db, id: string): Promise<boolean> {
  return (await db('identity_group').where({ id }).delete().returning('id')).length > 0;
}

/** Returns false when the membership existed already. */
export async function insertMembership(db: Db, userId: string, groupId: string): Promise<boolean> {
  const inserted = await db('identity_membership').insert({ user_id: userId, group_id: groupId }).onConflict(['user_id', 'group_id']).ignore().returning('user_id');
  return inserted.length > 0;
}

/** Returns false when there was no such membership. */
export async function deleteMembership(db: Db, userId: string, groupId: string): Promise<boolean> {
  return (await db('identity_membership').where({ user_id: userId, group_id: groupId }).delete().returning('user_id')).length > 0;
}

/** The ids of a user's groups, in id order. */
export async function groupIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db('identity_membership').select('group_id').where({ user_id: userId }).orderBy('group_id');
  return rows.map((row: { group_id: string }) => row.group_id);
}

/** A user's groups by name (Camunda's `/identity/groups`), and the other members of those groups. */
export async function groupsWithMembersOfUser(db: Db, userId: string): Promise<{ groups: GroupRow[]; members: UserRow[] }> {
  const groups: GroupRow[] = await db('identity_group as g')
    .select('g.id', 'g.name', 'g.type')
    .join('identity_membership as m', 'm.group_id', 'g.id')
    .where('m.user_id', userId)
    .orderBy([{ column: 'g.name', order: 'asc' }, { column: 'g.id', order: 'asc' }]);
  const members: UserRow[] = groups.length === 0
    ? []
    : await db('identity_user as u')
      .distinct(USER_COLUMNS)
      .join('identity_membership as m', 'm.user_id', 'u.id')
      .whereIn('m.group_id', groups.map((group) => group.id))
      .whereNot('u.id', userId)
      .orderBy('u.id');
  return { groups, members };
}
