/** `#/tasks`: a task list filtered by a saved filter, candidate group and assignee, claim/unclaim, a typed form to complete, comments, attachments, the task's diagram. */
import { createDiagramView } from '../operations/diagram-view.js';
import { createMessageArea, createTabs, h, queryParam, replace, setTitle, stateBadge, timeElement, uniqueId } from '../operations/dom.js';
import { ensureStyles } from '../operations/styles.js';
import { createTypedInput, createVariableList, displayValue, isEditableType, setFieldError } from '../operations/variable-editor.js';
import { createCommentsPanel } from '../operations/comments-panel.js';
import { createAttachmentsPanel } from './attachments-panel.js';
import { createSavedFilterPicker, savedFilterTasks } from './saved-filters.js';

const enc = encodeURIComponent;
const USER_KEY = 'ops.tasks.user';

function storedUser() {
  try {
    return globalThis.localStorage?.getItem(USER_KEY) || 'demo';
  } catch {
    return 'demo';
  }
}

/** The `/task` query for the filters. */
export function taskQuery({ shortcut, candidateGroup, assignee, user }) {
  const query = new URLSearchParams({ sortBy: 'created', sortOrder: 'desc', maxResults: '200' });
  if (candidateGroup) {
    query.set('candidateGroup', candidateGroup);
    // Camunda hides claimed tasks from candidate queries unless asked: keep them, so a claim does not make them vanish.
    query.set('includeAssignedTasks', 'true');
  }
  if (assignee) query.set('assignee', assignee);
  else if (shortcut === 'mine') query.set('assignee', user);
  if (shortcut === 'unassigned' && !assignee) query.set('unassigned', 'true');
  return `/task?${query}`;
}

export function mountTasks(container, { api, params }) {
  ensureStyles();
  setTitle('Tasks');
  let alive = true;
  let tasks = [];
  let selectedId = queryParam(params, 'task') ?? null;
  let diagram = null;
  const definitions = new Map();
  const filters = {
    shortcut: queryParam(params, 'filter') ?? 'all',
    candidateGroup: queryParam(params, 'candidateGroup') ?? '',
    assignee: queryParam(params, 'assignee') ?? '',
    user: storedUser(),
  };

  const messages = createMessageArea();
  const userId = uniqueId('current-user');
  const groupId = uniqueId('candidate-group');
  const assigneeId = uniqueId('assignee');
  const userInput = h('input', { type: 'text', id: userId, value: filters.user, autocomplete: 'username', class: 'ops-current-user' });
  const groupInput = h('input', { type: 'text', id: groupId, value: filters.candidateGroup, autocomplete: 'off', class: 'ops-filter-group', placeholder: 'e.g. reviewers' });
  const assigneeInput = h('input', { type: 'text', id: assigneeId, value: filters.assignee, autocomplete: 'off', class: 'ops-filter-assignee' });
  const shortcutButtons = ['all', 'mine', 'unassigned'].map((shortcut) => h('button', { type: 'button', dataset: { shortcut }, 'aria-pressed': String(filters.shortcut === shortcut), onClick: () => {
    filters.shortcut = shortcut;
    for (const button of shortcutButtons) button.setAttribute('aria-pressed', String(button.dataset.shortcut === shortcut));
    loadList();
  } }, { all: 'All', mine: 'My tasks', unassigned: 'Unassigned' }[shortcut]));
  const filterForm = h('form', { class: 'ops-filters', role: 'search', 'aria-label': 'Filter tasks', onSubmit: (event) => {
    event.preventDefault();
    filters.candidateGroup = groupInput.value.trim();
    filters.assignee = assigneeInput.value.trim();
    loadList();
  } },
  h('div', { class: 'ops-field' }, h('span', { class: 'ops-label', id: `${userId}-shortcuts` }, 'Show'), h('div', { class: 'ops-segmented', role: 'group', 'aria-labelledby': `${userId}-shortcuts` }, shortcutButtons)),
  h('div', { class: 'ops-field' }, h('label', { for: groupId }, 'Candidate group'), groupInput),
  h('div', { class: 'ops-field' }, h('label', { for: assigneeId }, 'Assignee'), assigneeInput),
  h('button', { type: 'submit', class: 'ops-apply-filter' }, 'Filter'));
  const savedFilters = createSavedFilterPicker({ api, initial: queryParam(params, 'savedFilter'), currentView: () => filters, onChange: () => loadList(), messages });
  filterForm.prepend(savedFilters.element);
  userInput.addEventListener('change', () => {
    filters.user = userInput.value.trim() || 'demo';
    try {
      globalThis.localStorage?.setItem(USER_KEY, filters.user);
    } catch {
      // storage may be unavailable (private mode): the name then lasts for this page only
    }
    loadList();
  });

  const listHost = h('div', { class: 'ops-task-list-host' }, h('p', { class: 'ops-hint' }, 'Loading tasks…'));
  const countHost = h('p', { class: 'ops-hint', role: 'status' });
  const detailHost = h('section', { class: 'ops-section ops-task-detail', 'aria-label': 'Task' }, h('p', { class: 'ops-empty' }, 'Select a task to work on it.'));
  const page = h('div', { class: 'ops-page ops-tasks-page' },
    h('div', { class: 'ops-header' }, h('h1', {}, 'Tasks'), h('span', { class: 'ops-spacer' }),
      h('div', { class: 'ops-field' }, h('label', { for: userId }, 'Working as'), userInput),
      h('button', { type: 'button', onClick: () => loadList() }, 'Refresh')),
    filterForm, messages.element,
    h('div', { class: 'ops-tasks' }, h('div', {}, countHost, listHost), detailHost));
  container.replaceChildren(page);

  async function definitionOf(id) {
    if (!definitions.has(id)) definitions.set(id, api.get(`/process-definition/${enc(id)}`).catch(() => ({ id, key: id, name: null, version: '?' })));
    return definitions.get(id);
  }

  function renderList() {
    countHost.textContent = `${tasks.length} task${tasks.length === 1 ? '' : 's'}`;
    if (tasks.length === 0) {
      replace(listHost, h('p', { class: 'ops-empty' }, 'No tasks match these filters.'));
      return;
    }
    replace(listHost, h('ul', { class: 'ops-task-list', 'aria-label': 'Tasks' }, tasks.map((task) => h('li', {},
      h('button', { type: 'button', class: 'ops-task-item', dataset: { taskId: task.id, taskDefinitionKey: task.taskDefinitionKey }, 'aria-current': String(task.id === selectedId), onClick: () => select(task.id) },
        h('span', { class: 'ops-task-name' }, task.name || task.taskDefinitionKey),
        h('span', { class: 'ops-task-sub ops-task-process', dataset: { definitionId: task.processDefinitionId } }, task.processDefinitionId),
        h('span', { class: 'ops-task-sub' }, 'Created ', timeElement(task.created), ' · ', task.assignee ? `Assigned to ${task.assignee}` : 'Unassigned', task.suspended ? ' · suspended' : ''))))));
    for (const span of listHost.querySelectorAll('.ops-task-process')) {
      definitionOf(span.dataset.definitionId).then((definition) => {
        span.textContent = `${definition.name || definition.key} v${definition.version}`;
      });
    }
  }

  async function loadList() {
    messages.clear();
    try {
      tasks = await (savedFilters.selected ? savedFilterTasks(api, savedFilters.selected, filters) : api.get(taskQuery(filters)));
      if (!alive) return;
      renderList();
      if (selectedId && tasks.some((task) => task.id === selectedId)) await select(selectedId, { keepMessages: true });
      else if (selectedId) {
        selectedId = null;
        showNoSelection();
      }
    } catch (error) {
      if (alive) messages.error(error, 'Cannot load the tasks:');
    }
  }

  function showNoSelection() {
    diagram?.destroy();
    diagram = null;
    replace(detailHost, h('p', { class: 'ops-empty' }, 'Select a task to work on it.'));
  }

  async function act(action, success) {
    try {
      await action();
      await loadList();
      if (alive) messages.success(success);
    } catch (error) {
      if (alive) messages.error(error, 'The engine refused:');
    }
  }

  async function select(taskId, { keepMessages = false } = {}) {
    if (!keepMessages) messages.clear();
    selectedId = taskId;
    for (const item of listHost.querySelectorAll('.ops-task-item')) item.setAttribute('aria-current', String(item.dataset.taskId === taskId));
    let task;
    let formVariables;
    try {
      [task, formVariables] = await Promise.all([api.get(`/task/${enc(taskId)}`), api.get(`/task/${enc(taskId)}/form-variables?deserializeValues=false`)]);
    } catch (error) {
      if (alive) messages.error(error, 'Cannot open the task:');
      return;
    }
    if (!alive || selectedId !== taskId) return;
    const definition = await definitionOf(task.processDefinitionId);
    if (!alive || selectedId !== taskId) return;
    renderDetail(task, formVariables, definition);
  }

  function renderDetail(task, formVariables, definition) {
    setTitle(`${task.name || task.taskDefinitionKey} · Tasks`);
    const mine = task.assignee === filters.user;
    const name = task.name || task.taskDefinitionKey;
    const claimButtons = [];
    if (!task.assignee) claimButtons.push(h('button', { type: 'button', class: 'primary ops-claim-button', disabled: task.suspended, onClick: () => act(() => api.post(`/task/${enc(task.id)}/claim`, { userId: filters.user }), `You claimed “${name}”.`) }, 'Claim'));
    else claimButtons.push(h('button', { type: 'button', class: 'ops-unclaim-button', disabled: task.suspended, onClick: () => act(() => api.post(`/task/${enc(task.id)}/unclaim`, {}), `“${name}” is unassigned again.`) }, 'Unclaim'));

    const fields = [];
    const rows = Object.keys(formVariables).sort((a, b) => a.localeCompare(b)).map((variableName) => {
      const variable = formVariables[variableName];
      const id = uniqueId('form-field');
      if (!isEditableType(variable.type)) {
        return h('div', { class: 'ops-form-row' }, h('span', { class: 'ops-label' }, variableName, h('span', { class: 'ops-type' }, variable.type)), h('span', { class: 'ops-value' }, displayValue(variable)));
      }
      const field = createTypedInput({ type: variable.type, value: variable.value, id });
      field.input.dataset.variable = variableName;
      field.input.disabled = !mine || task.suspended || variable.type === 'Null';
      fields.push({ name: variableName, field });
      return h('div', { class: 'ops-form-row' }, h('label', { for: id }, variableName, h('span', { class: 'ops-type' }, variable.type)), field.element);
    });
    const additions = createVariableList({ legend: 'Add variables', addLabel: 'New variable' });
    const completeButton = h('button', { type: 'submit', class: 'primary ops-complete-button', disabled: !mine || task.suspended }, 'Complete');
    const formMessages = createMessageArea();
    const form = h('form', { class: 'ops-task-form', 'aria-label': `Form of ${name}`, onSubmit: async (event) => {
      event.preventDefault();
      formMessages.clear();
      const variables = {};
      let invalid = null;
      for (const { name: variableName, field } of fields) {
        try {
          variables[variableName] = field.read();
          setFieldError(field.input, null);
        } catch (error) {
          setFieldError(field.input, error.message);
          invalid ??= field.input;
        }
      }
      try {
        Object.assign(variables, additions.read());
      } catch (error) {
        formMessages.error(error, 'Cannot complete yet:');
        return;
      }
      if (invalid) {
        invalid.focus();
        formMessages.error({ message: 'Some fields need fixing (see the marked fields).' }, 'Cannot complete yet:');
        return;
      }
      completeButton.disabled = true;
      try {
        await api.post(`/task/${enc(task.id)}/complete`, { variables });
        if (!alive) return;
        selectedId = null;
        showNoSelection();
        await loadList();
        if (alive) messages.success(`Completed “${name}”.`);
      } catch (error) {
        completeButton.disabled = false;
        formMessages.error(error, 'The engine refused to complete the task:');
      }
    } },
    !mine ? h('p', { class: 'ops-hint' }, task.assignee ? `Assigned to ${task.assignee}: only they can complete it (or unclaim it first).` : 'Claim the task to work on it.') : null,
    task.suspended ? h('p', { class: 'ops-hint' }, 'The process instance is suspended: activate it to work on this task.') : null,
    rows.length ? rows : h('p', { class: 'ops-hint' }, 'The process has no variables yet.'),
    mine && !task.suspended ? additions.element : null,
    formMessages.element,
    h('div', { class: 'ops-buttons' }, completeButton));

    const diagramHost = h('div');
    diagram?.destroy();
    diagram = null;
    const tabs = createTabs([
      { id: 'form', label: 'Form', render: (panel) => panel.append(form) },
      { id: 'comments', label: 'Comments', render: (panel) => panel.append(createCommentsPanel({ api, taskId: task.id, processInstanceId: task.processInstanceId }).element) },
      { id: 'attachments', label: 'Attachments', render: (panel) => panel.append(createAttachmentsPanel({ api, taskId: task.id }).element) },
      { id: 'diagram', label: 'Diagram', render: (panel) => {
        panel.append(diagramHost);
        if (diagram) return;
        diagram = createDiagramView({ label: `Diagram of ${definition.name || definition.key}: the highlighted activity is this task`, height: 360 });
        diagramHost.append(diagram.element);
        api.get(`/process-definition/${enc(task.processDefinitionId)}/xml`).then(async ({ bpmn20Xml }) => {
          if (alive && diagram && (await diagram.show(bpmn20Xml))) diagram.markers([task.taskDefinitionKey], 'ops-active');
        }, (error) => messages.error(error, 'Cannot load the diagram:'));
      } },
    ]);

    replace(detailHost,
      h('div', { class: 'ops-header' }, h('h2', {}, name), task.suspended ? stateBadge('suspended', 'Suspended') : null, h('span', { class: 'ops-spacer' }), h('div', { class: 'ops-buttons' }, claimButtons)),
      h('dl', { class: 'ops-meta' },
        h('div', {}, h('dt', {}, 'Process'), h('dd', {}, h('a', { href: `#/processes/${enc(task.processDefinitionId)}` }, `${definition.name || definition.key} v${definition.version}`))),
        h('div', {}, h('dt', {}, 'Instance'), h('dd', {}, h('a', { href: `#/instances/${enc(task.processInstanceId)}`, class: 'ops-mono' }, task.processInstanceId))),
        h('div', {}, h('dt', {}, 'Created'), h('dd', {}, timeElement(task.created))),
        h('div', {}, h('dt', {}, 'Assignee'), h('dd', { class: 'ops-task-assignee' }, task.assignee ?? '—')),
        task.due ? h('div', {}, h('dt', {}, 'Due'), h('dd', {}, timeElement(task.due))) : null,
        h('div', {}, h('dt', {}, 'Priority'), h('dd', {}, String(task.priority)))),
      task.description ? h('p', {}, task.description) : null,
      tabs.element);
  }

  savedFilters.reload();
  loadList();
  return () => {
    alive = false;
    diagram?.destroy();
  };
}
