/**
 * Camunda's FormService over REST: generated forms (`camunda:formData`) of user tasks and start events, their
 * variables, validated submission, form keys, the generated HTML and forms deployed as resources.
 */
import { BadUserRequestError, CamundaError, InvalidRequestError, NullValueError, ProcessEngineError, RestError } from '../core/errors.js';
import { parseVariableDto, parseVariableDtos, toPlainValue, toWireValue, type StoredValue, type VariableValueDto } from '../core/typed-value.js';
import { fieldFormValue, FormValueError, formFieldsOf, renderGeneratedForm, resolveFormExpressions, submittedFormVariables, type FormFieldDeclaration, type FormValue } from '../engine/index.js';
import { compileExpression, toPlainJson } from '../expressions/index.js';
import { findResourceByName } from '../persistence/deployment-repository.js';
import { findProcessDefinition, type ProcessDefinitionRow } from '../persistence/process-definition-repository.js';
import { findTask, type TaskRow } from '../persistence/task-repository.js';
import { processModelOf } from './instance-identity.js';
import { getProcessDefinition, type DefinitionReference } from './process-definition-service.js';
import { startProcessInstance, type StartedInstance } from './runtime-service.js';
import type { ServiceContext } from './service-context.js';
import { completeTask, getTaskVariables } from './task-service.js';

export interface FormDto {
  key: string | null;
  camundaFormRef: null;
  contextPath: null;
}

export interface DeployedForm {
  content: Buffer;
  contentType: string;
}

type Behaviour = Record<string, unknown>;

/** Camunda's FormService reports an unknown definition id per operation (a key is resolved, and refused, before). */
async function definitionOf(ctx: ServiceContext, reference: DefinitionReference, missing: (message: string) => Error): Promise<ProcessDefinitionRow> {
  if (!('id' in reference)) return getProcessDefinition(ctx, reference);
  const definition = await findProcessDefinition(ctx.database.knex, reference.id);
  if (!definition) throw missing(`no deployed process definition found with id '${reference.id}': processDefinition is null`);
  return definition;
}

const notFound = (message: string) => new CamundaError(400, 'NotFoundException', message);

/** The element a start form belongs to: the process's none start event, as Camunda's initial activity. */
function startEventOf(ctx: ServiceContext, definition: ProcessDefinitionRow): Behaviour {
  const context = ctx.cache.get(processModelOf({ definition })) as unknown as { getActivities(scopeId: string): Array<{ type: string; behaviour?: Behaviour }> };
  const starts = context.getActivities(definition.key).filter((activity) => activity.type === 'bpmn:StartEvent');
  const none = starts.find((start) => ((start.behaviour?.eventDefinitions as unknown[] | undefined) ?? []).length === 0);
  return (none ?? starts[0])?.behaviour ?? {};
}

async function taskElement(ctx: ServiceContext, task: TaskRow): Promise<{ definition: ProcessDefinitionRow | undefined; behaviour: Behaviour }> {
  if (!task.process_definition_id) return { definition: undefined, behaviour: {} };
  const definition = await findProcessDefinition(ctx.database.knex, task.process_definition_id);
  return { definition, behaviour: definition && task.task_definition_key ? ctx.cache.behaviourOf(processModelOf({ definition }), task.task_definition_key) : {} };
}

/** Evaluates JUEL against the variables the form's scope sees, as Camunda evaluates form expressions. */
function evaluatorOf(ctx: ServiceContext, variables: Map<string, StoredValue>): (text: string) => unknown {
  const context = {
    resolve: (name: string) => (variables.has(name) ? { found: true as const, value: toPlainValue(variables.get(name)!) } : { found: false as const }),
    clock: ctx.clock,
  };
  return (text) => toPlainJson(compileExpression(text).evaluate(context));
}

/** The element's form fields with labels and defaults evaluated; none without `camunda:formData`. */
function fieldsIn(ctx: ServiceContext, behaviour: Behaviour, variables: Map<string, StoredValue>): FormFieldDeclaration[] {
  const fields = formFieldsOf(behaviour) ?? [];
  return fields.length === 0 ? fields : resolveFormExpressions(fields, evaluatorOf(ctx, variables));
}

function formValueOf(value: StoredValue): FormValue {
  const wire = toWireValue(value);
  return { type: wire.type, value: wire.value };
}

function storedOf(value: FormValue): StoredValue {
  return parseVariableDto({ type: value.type, value: value.value, valueInfo: {} });
}

/** Camunda puts form fields first (converted for the form), then the scope's other variables it does not override. */
function formVariables(fields: readonly FormFieldDeclaration[], variables: Map<string, StoredValue>, names: string[] | undefined): Map<string, StoredValue> {
  const wanted = (name: string) => names === undefined || names.includes(name);
  const result = new Map<string, StoredValue>();
  try {
    for (const field of fields.filter((each) => wanted(each.id))) {
      const variable = variables.get(field.id);
      result.set(field.id, storedOf(fieldFormValue(field, variable && formValueOf(variable))));
    }
  } catch (thrown) {
    if (thrown instanceof FormValueError) throw new CamundaError(500, thrown.javaType, thrown.message, { cause: thrown });
    throw thrown;
  }
  for (const [name, value] of variables) if (wanted(name) && !result.has(name)) result.set(name, value);
  return result;
}

export async function getTaskFormVariables(ctx: ServiceContext, taskId: string, names: string[] | undefined): Promise<Map<string, StoredValue>> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new BadUserRequestError(`Cannot find task with id '${taskId}'.: task is null`);
  const { behaviour } = await taskElement(ctx, task);
  const variables = await getTaskVariables(ctx, taskId, { local: false });
  return formVariables(fieldsIn(ctx, behaviour, variables), variables, names);
}

export async function getStartFormVariables(ctx: ServiceContext, reference: DefinitionReference, names: string[] | undefined): Promise<Map<string, StoredValue>> {
  const definition = await definitionOf(ctx, reference, notFound);
  return formVariables(fieldsIn(ctx, startEventOf(ctx, definition), new Map()), new Map(), names);
}

/** The request's variables with each form field validated and converted; other variables pass exactly as sent. */
function convertedSubmission(ctx: ServiceContext, behaviour: Behaviour, dtos: Record<string, VariableValueDto> | null | undefined, existing: Map<string, StoredValue>, describe: (message: string) => string): Record<string, VariableValueDto> {
  const submitted = new Map([...parseVariableDtos(dtos)].map(([name, value]) => [name, formValueOf(value)]));
  let fields: FormFieldDeclaration[] = [];
  let converted: Map<string, FormValue>;
  try {
    fields = fieldsIn(ctx, behaviour, existing);
    converted = submittedFormVariables(fields, submitted, (name) => { const value = existing.get(name); return value && formValueOf(value); }, evaluatorOf(ctx, existing));
  } catch (thrown) {
    // Java's NumberFormatException escapes Camunda's resource untouched; everything else is reworded per endpoint.
    if (thrown instanceof FormValueError && thrown.javaType === 'NumberFormatException') throw new CamundaError(500, 'NumberFormatException', thrown.message, { cause: thrown });
    if (thrown instanceof FormValueError || thrown instanceof ProcessEngineError) throw new RestError(500, describe(thrown.message), { cause: thrown });
    throw thrown;
  }
  const fieldIds = new Set(fields.map((field) => field.id));
  // Built with fromEntries, so a variable named __proto__ stays a variable.
  return Object.fromEntries([
    ...Object.entries(dtos ?? {}).filter(([name]) => !fieldIds.has(name) || !converted.has(name)),
    ...[...converted].filter(([name]) => fieldIds.has(name)).map(([name, value]) => [name, { type: value.type, value: value.value, valueInfo: {} }] as const),
  ]);
}

export async function submitTaskForm(ctx: ServiceContext, taskId: string, dtos: Record<string, VariableValueDto> | null | undefined, withVariablesInReturn: boolean): Promise<Map<string, StoredValue> | null> {
  const describe = (message: string) => `Cannot submit task form ${taskId}: ${message}`;
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new RestError(500, describe(`Cannot find task with id ${taskId}: task is null`));
  const { behaviour } = await taskElement(ctx, task);
  const existing = formFieldsOf(behaviour) ? await getTaskVariables(ctx, taskId, { local: false }) : new Map<string, StoredValue>();
  return completeTask(ctx, taskId, convertedSubmission(ctx, behaviour, dtos, existing, describe), withVariablesInReturn, { submitForm: true });
}

export async function submitStartForm(ctx: ServiceContext, reference: DefinitionReference, request: { businessKey: string | null; variables: Record<string, VariableValueDto> | null | undefined }): Promise<StartedInstance> {
  const definition = await definitionOf(ctx, reference, (message) => new RestError(500, `Cannot instantiate process definition ${'id' in reference ? reference.id : ''}: ${message}`));
  const describe = (message: string) => `Cannot instantiate process definition ${definition.id}: ${message}`;
  const variables = convertedSubmission(ctx, startEventOf(ctx, definition), request.variables, new Map(), describe);
  return startProcessInstance(ctx, { id: definition.id }, { businessKey: request.businessKey, variables, withVariablesInReturn: false });
}

function formKeyOf(behaviour: Behaviour): string | null {
  const key = behaviour.formKey;
  return typeof key === 'string' && key !== '' ? key : null;
}

export async function getTaskForm(ctx: ServiceContext, taskId: string): Promise<FormDto> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new RestError(400, `Cannot get form for task ${taskId}`);
  const fields = formFieldsOf((await taskElement(ctx, task)).behaviour) ?? [];
  const key = task.form_key ?? (fields.length > 0 ? `embedded:engine://engine/:engine/task/${taskId}/rendered-form` : null);
  return { key, camundaFormRef: null, contextPath: null };
}

export async function getStartForm(ctx: ServiceContext, reference: DefinitionReference): Promise<FormDto> {
  const definition = await definitionOf(ctx, reference, () => new InvalidRequestError(400, `Cannot get start form data for process definition ${'id' in reference ? reference.id : ''}`));
  const start = startEventOf(ctx, definition);
  const generated = (formFieldsOf(start) ?? []).length > 0 ? `embedded:engine://engine/:engine/process-definition/${definition.id}/rendered-form` : null;
  return { key: formKeyOf(start) ?? generated, camundaFormRef: null, contextPath: null };
}

export async function renderTaskForm(ctx: ServiceContext, taskId: string): Promise<string> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new NullValueError(`Task '${taskId}' not found: task is null`);
  const html = renderGeneratedForm(fieldsIn(ctx, (await taskElement(ctx, task)).behaviour, await getTaskVariables(ctx, taskId, { local: false })));
  if (html === null) throw new InvalidRequestError(404, `No matching rendered form for task with the id ${taskId} found.`);
  return html;
}

export async function renderStartForm(ctx: ServiceContext, reference: DefinitionReference): Promise<string> {
  const definition = await definitionOf(ctx, reference, notFound);
  const html = renderGeneratedForm(fieldsIn(ctx, startEventOf(ctx, definition), new Map()));
  if (html === null) throw new InvalidRequestError(404, `No matching rendered start form for process definition with the id ${definition.id} found.`);
  return html;
}

const FORM_KEY_PREFIXES = ['embedded:', 'camunda-forms:', 'operaton-forms:'];

/** A form deployed with the process (`embedded:deployment:…`, `camunda-forms:deployment:…`), as AbstractGetDeployedFormCmd finds it. */
async function deployedForm(ctx: ServiceContext, formKey: string | null, deploymentId: string | null): Promise<DeployedForm> {
  if (formKey === null) throw new InvalidRequestError(400, "One of the attributes 'formKey' and 'camunda:formRef' must be supplied but none were set.");
  const prefix = FORM_KEY_PREFIXES.find((each) => formKey.startsWith(each));
  const reference = prefix ? formKey.slice(prefix.length) : formKey;
  if (!reference.startsWith('deployment:')) throw new InvalidRequestError(400, `The form key '${formKey}' does not reference a deployed form.`);
  const resourceName = reference.slice('deployment:'.length);
  const resource = deploymentId === null ? undefined : await findResourceByName(ctx.database.knex, deploymentId, resourceName);
  if (!resource) throw new InvalidRequestError(404, `The form with the resource name '${resourceName}' cannot be found in deployment with id ${deploymentId}`);
  return { content: resource.content, contentType: formKey.endsWith('.form') ? 'application/json' : 'application/xhtml+xml' };
}

export async function getDeployedTaskForm(ctx: ServiceContext, taskId: string): Promise<DeployedForm> {
  const task = await findTask(ctx.database.knex, taskId);
  if (!task) throw new InvalidRequestError(404, `No matching task with id ${taskId}`);
  const { definition } = await taskElement(ctx, task);
  return deployedForm(ctx, task.form_key, definition?.deployment_id ?? null);
}

export async function getDeployedStartForm(ctx: ServiceContext, reference: DefinitionReference): Promise<DeployedForm> {
  const definition = await definitionOf(ctx, reference, (message) => new InvalidRequestError(404, message));
  return deployedForm(ctx, formKeyOf(startEventOf(ctx, definition)), definition.deployment_id);
}
