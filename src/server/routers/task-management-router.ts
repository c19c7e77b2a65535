/** `/task`: stand-alone tasks (create, update, delete), delegation, identity links and the candidate group report. */
import { Router } from 'express';
import { parseCamundaDate } from '../../core/camunda-date.js';
import { InvalidRequestError } from '../../core/errors.js';
import { delegationStateOf } from '../delegation-state.js';
import type { ServiceContext } from '../../services/service-context.js';
import {
  addTaskIdentityLink,
  createStandaloneTask,
  delegateTask,
  deleteStandaloneTask,
  deleteTaskIdentityLink,
  getCandidateGroupCounts,
  resolveTask,
  saveTask,
  type IdentityLinkInput,
  type TaskAttributes,
} from '../../services/task-management.js';
import { identityLinkBody, resolveTaskBody, taskBody, userIdBody, type TaskBody } from '../body-schemas.js';
import { readBody } from '../read-body.js';
import { sendJson, sendNoContent } from '../respond.js';

function date(value: string | null | undefined): Date | null {
  return value ? parseCamundaDate(value) : null;
}

/** A TaskDto as Camunda's resource reads it: absent properties are null (priority 0), a delegation state must be known. */
function taskAttributes(body: TaskBody): TaskAttributes {
  return {
    id: body.id ?? null,
    name: body.name ?? null,
    description: body.description ?? null,
    assignee: body.assignee ?? null,
    owner: body.owner ?? null,
    delegationState: delegationStateOf(body.delegationState),
    due: date(body.due),
    followUp: date(body.followUp),
    priority: body.priority ?? 0,
    parentTaskId: body.parentTaskId ?? null,
    caseInstanceId: body.caseInstanceId ?? null,
    tenantId: body.tenantId ?? null,
  };
}

/** Camunda's resource checks the link names exactly one of a user and a group before the engine sees it. */
function identityLink(body: { userId?: string | null; groupId?: string | null; type?: string | null }): IdentityLinkInput {
  const link = { userId: body.userId ?? null, groupId: body.groupId ?? null, type: body.type ?? null };
  if (link.userId !== null && link.groupId !== null) throw new InvalidRequestError(400, 'Identity Link requires userId or groupId, but not both.');
  if (link.userId === null && link.groupId === null) throw new InvalidRequestError(400, 'Identity Link requires userId or groupId.');
  return link;
}

export function taskManagementRouter(ctx: ServiceContext): Router {
  const router = Router();
  router.get('/task/report/candidate-group-count', async (_req, res) => sendJson(res, await getCandidateGroupCounts(ctx)));

  router.post('/task/create', async (req, res) => {
    await createStandaloneTask(ctx, taskAttributes(readBody(req, taskBody)));
    sendNoContent(res);
  });
  router.put('/task/:id', async (req, res) => {
    await saveTask(ctx, req.params.id, taskAttributes(readBody(req, taskBody)));
    sendNoContent(res);
  });
  router.delete('/task/:id', async (req, res) => {
    await deleteStandaloneTask(ctx, req.params.id);
    sendNoContent(res);
  });

  router.post('/task/:id/delegate', async (req, res) => {
    await delegateTask(ctx, req.params.id, readBody(req, userIdBody).userId ?? null);
    sendNoContent(res);
  });
  router.post('/task/:id/resolve', async (req, res) => {
    await resolveTask(ctx, req.params.id, readBody(req, resolveTaskBody).variables);
    sendNoContent(res);
  });

  router.post('/task/:id/identity-links', async (req, res) => {
    await addTaskIdentityLink(ctx, req.params.id, identityLink(readBody(req, identityLinkBody)));
    sendNoContent(res);
  });
  router.post('/task/:id/identity-links/delete', async (req, res) => {
    await deleteTaskIdentityLink(ctx, req.params.id, identityLink(readBody(req, identityLinkBody)));
    sendNoContent(res);
  });
  return router;
}
