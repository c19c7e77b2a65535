/** `/user`, `/group` and `/identity`: Camunda's identity resources (profiles only: password hashes never leave the server). */
import { Router } from 'express';
import { InvalidRequestError } from '../../core/errors.js';
import { resourceOptions, type ResourceLink } from '../dtos/links.js';
import type { IdentityService } from '../../services/identity-service.js';
import { readModels, type GroupFilter, type GroupRow, type UserFilter, type UserRow } from '../../services/read-models.js';
import type { ServiceContext } from '../../services/service-context.js';
import { createUserBody, groupBody, userCredentialsBody, userProfileBody, verifyUserBody } from '../body-schemas.js';
import { mountListRoutes } from '../list-routes.js';
import { definedOnly, type QueryReader } from '../query-reader.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

function userFilter(query: QueryReader): UserFilter {
  return definedOnly({
    id: query.string('id'),
    idIn: query.list('idIn'),
    firstName: query.string('firstName'),
    firstNameLike: query.string('firstNameLike'),
    lastName: query.string('lastName'),
    lastNameLike: query.string('lastNameLike'),
    email: query.string('email'),
    emailLike: query.string('emailLike'),
    memberOfGroup: query.string('memberOfGroup'),
    memberOfTenant: query.string('memberOfTenant'),
    potentialStarter: query.string('potentialStarter'),
  });
}

function groupFilter(query: QueryReader): GroupFilter {
  return definedOnly({
    id: query.string('id'),
    idIn: query.list('idIn'),
    name: query.string('name'),
    nameLike: query.string('nameLike'),
    type: query.string('type'),
    member: query.string('member'),
    memberOfTenant: query.string('memberOfTenant'),
  });
}

/** UserProfileDto. */
function userProfileDto(user: UserRow) {
  return { id: user.id, firstName: user.first_name, lastName: user.last_name, email: user.email };
}

/** GroupDto. */
function groupDto(group: GroupRow) {
  return { id: group.id, name: group.name, type: group.type };
}

/** IdentityServiceUserDto: Camunda derives the display name from the names, or the id without them. */
function groupUserDto(user: UserRow) {
  const displayName = user.first_name === null && user.last_name === null ? user.id : [user.first_name, user.last_name].filter((part) => part !== null).join(' ');
  return { id: user.id, firstName: user.first_name, lastName: user.last_name, displayName };
}

/** Links only an administrator (or anyone, without authentication) may follow. */
function adminLink(identity: IdentityService, ...links: ResourceLink[]): ResourceLink[] {
  return identity.mayChange() ? links : [];
}

export function identityRouter(ctx: ServiceContext, identity: IdentityService): Router {
  const router = Router();
  const models = readModels(ctx);

  router.options('/user', (req, res) => sendJson(res, resourceOptions(req, '/user', [['GET', '', 'list'], ['GET', '/count', 'count'], ...adminLink(identity, ['POST', '/create', 'create'])])));
  router.options('/user/:id', (req, res) => {
    const id = req.params.id;
    const self = identity.mayChange(id);
    sendJson(res, resourceOptions(req, `/user/${encodeURIComponent(id)}`, [
      ['GET', '/profile', 'self'], ...adminLink(identity, ['DELETE', '', 'delete']), ...(self ? [['PUT', '/profile', 'update'] as ResourceLink] : []),
    ]));
  });
  router.post('/user/:id/unlock', (req, res) => {
    identity.unlockUser(req.params.id);
    sendNoContent(res);
  });
  mountListRoutes(router, { path: '/user', readModel: models.users, sortKeys: ['userId', 'firstName', 'lastName', 'email'], filter: userFilter, toDto: userProfileDto, post: false });
  router.post('/user/create', async (req, res) => {
    const { profile, credentials } = readBody(req, createUserBody);
    await identity.createUser(profile, credentials?.password);
    sendNoContent(res);
  });
  router.get('/user/:id/profile', async (req, res) => sendJson(res, userProfileDto(await identity.getUser(req.params.id))));
  router.put('/user/:id/profile', async (req, res) => {
    await identity.updateProfile(req.params.id, readBody(req, userProfileBody));
    sendNoContent(res);
  });
  router.put('/user/:id/credentials', async (req, res) => {
    const { password, authenticatedUserPassword } = readBody(req, userCredentialsBody);
    await identity.updateCredentials(req.params.id, password, authenticatedUserPassword);
    sendNoContent(res);
  });
  router.delete('/user/:id', async (req, res) => {
    await identity.deleteUser(req.params.id);
    sendNoContent(res);
  });

  router.options('/group', (req, res) => sendJson(res, resourceOptions(req, '/group', [['GET', '', 'list'], ['GET', '/count', 'count'], ...adminLink(identity, ['POST', '/create', 'create'])])));
  router.options('/group/:id', (req, res) => {
    sendJson(res, resourceOptions(req, `/group/${encodeURIComponent(req.params.id)}`, [['GET', '', 'self'], ...adminLink(identity, ['DELETE', '', 'delete'], ['PUT', '', 'update'])]));
  });
  router.options('/group/:id/members', (req, res) => {
    sendJson(res, resourceOptions(req, `/group/${encodeURIComponent(req.params.id)}/members`, adminLink(identity, ['DELETE', '', 'delete'], ['PUT', '', 'create'])));
  });
  mountListRoutes(router, { path: '/group', readModel: models.groups, sortKeys: ['id', 'name', 'type'], filter: groupFilter, toDto: groupDto, post: true });
  router.post('/group/create', async (req, res) => {
    await identity.createGroup(readBody(req, groupBody));
    sendNoContent(res);
  });
  router.get('/group/:id', async (req, res) => sendJson(res, groupDto(await identity.getGroup(req.params.id))));
  router.put('/group/:id', async (req, res) => {
    await identity.updateGroup(req.params.id, readBody(req, groupBody));
    sendNoContent(res);
  });
  router.delete('/group/:id', async (req, res) => {
    await identity.deleteGroup(req.params.id);
    sendNoContent(res);
  });
  router.put('/group/:id/members/:userId', async (req, res) => {
    await identity.createMembership(req.params.id, req.params.userId);
    sendNoContent(res);
  });
  router.delete('/group/:id/members/:userId', async (req, res) => {
    await identity.deleteMembership(req.params.id, req.params.userId);
    sendNoContent(res);
  });

  // No password policy is configured: Camunda answers both with 404.
  for (const method of ['get', 'post'] as const) {
    router[method]('/identity/password-policy', () => {
      throw new InvalidRequestError(404, 'No password policy is configured.');
    });
  }
  router.get('/identity/groups', async (req, res) => {
    const userId = typeof req.query.userId === 'string' ? req.query.userId : undefined;
    const { groups, members } = await identity.groupInfo(userId);
    sendJson(res, { groups: groups.map((group) => ({ id: group.id, name: group.name })), groupUsers: members.map(groupUserDto) });
  });
  router.post('/identity/verify', async (req, res) => {
    const { username, password } = readBody(req, verifyUserBody);
    const authenticated = await identity.verify(username, password);
    sendJson(res, { authenticatedUser: username, authenticated, tenants: null, groups: null });
  });
  return router;
}
