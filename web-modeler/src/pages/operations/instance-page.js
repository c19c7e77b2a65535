/** `#/instances/<id>`: where an instance waits, its variables (editable), history and incidents; suspend, activate, delete. */
import { createDiagramView } from './diagram-view.js';
import { confirmAction, createMessageArea, createTabs, dataTable, formatDateTime, formatDuration, h, replace, routeParam, setTitle, stateBadge, timeElement } from './dom.js';
import { createAuditTrailPanel } from './audit-trail-panel.js';
import { createCommentsPanel } from './comments-panel.js';
import { createJobsPanel } from './jobs-panel.js';
import { ensureStyles } from './styles.js';
import { createTypedInput, createVariableList, displayValue, isEditableType, NEW_VARIABLE_TYPES, setFieldError } from './variable-editor.js';

const enc = encodeURIComponent;

/** Counts per activity id of every activity instance in the tree (transition instances included), root excluded. */
export function activeActivities(tree) {
  const counts = new Map();
  const visit = (node) => {
    for (const child of node.childActivityInstances ?? []) {
      counts.set(child.activityId, (counts.get(child.activityId) ?? 0) + 1);
      visit(child);
    }
    for (const transition of node.childTransitionInstances ?? []) counts.set(transition.activityId, (counts.get(transition.activityId) ?? 0) + 1);
  };
  if (tree) visit(tree);
  return counts;
}

/** The multi-instance bodies in the tree: per activity, its iterations running now and those completed (from history). */
export function multiInstanceCounts(tree, history) {
  const counts = [];
  const visit = (node) => {
    for (const child of node.childActivityInstances ?? []) {
      if (child.activityType === 'multiInstanceBody') {
        const activityId = child.activityId.replace(/#multiInstanceBody$/, '');
        const completed = history.filter((a) => a.parentActivityInstanceId === child.id && a.endTime && !a.canceled).length;
        counts.push({ activityId, running: (child.childActivityInstances ?? []).length, completed });
      }
      visit(child);
    }
  };
  if (tree) visit(tree);
  return counts;
}

function instanceLink(id, text = id) {
  return h('a', { href: `#/instances/${enc(id)}`, class: 'ops-mono' }, text);
}

/** Meta rows linking an instance into its call tree: the instance that called it, and those it called. */
function callTreeRows(superProcessInstanceId, children) {
  return [
    superProcessInstanceId ? h('div', {}, h('dt', {}, 'Called by'), h('dd', {}, instanceLink(superProcessInstanceId))) : null,
    children.length
      ? h('div', {}, h('dt', {}, 'Calls'), h('dd', { class: 'ops-called' }, children.map((child, i) => [i ? ', ' : '', instanceLink(child.id, `${child.processDefinitionKey ?? child.definitionKey ?? 'instance'} ${child.id.slice(0, 8)}`)])))
      : null,
  ];
}

const ENDED_STATES = {
  COMPLETED: ['completed', 'Completed'],
  EXTERNALLY_TERMINATED: ['terminated', 'Canceled'],
  INTERNALLY_TERMINATED: ['terminated', 'Terminated'],
};

/** `roleOf(activityId)`: what the diagram says an activity is for (an event sub-process, a compensation handler). */
function historyTable(activities, roleOf = () => null) {
  return dataTable({
    caption: 'Activities taken',
    rows: activities,
    empty: 'No activity recorded.',
    rowAttributes: (activity) => ({ dataset: { activityId: activity.activityId } }),
    columns: [
      { label: 'Activity', cell: (a) => [a.activityName || a.activityId, a.activityName ? h('span', { class: 'ops-hint' }, ` (${a.activityId})`) : null] },
      { label: 'Type', cell: (a) => [a.activityType, roleOf(a.activityId) ? h('span', { class: 'ops-role' }, ` (${roleOf(a.activityId)})`) : null] },
      { label: 'Started', cell: (a) => timeElement(a.startTime) },
      { label: 'Ended', cell: (a) => timeElement(a.endTime) },
      { label: 'Duration', class: 'ops-num', cell: (a) => (a.endTime ? formatDuration(a.durationInMillis) : '—') },
      { label: 'State', cell: (a) => (!a.endTime ? stateBadge('running', 'Active') : a.canceled ? stateBadge('terminated', 'Canceled') : stateBadge('completed', 'Completed')) },
    ],
  });
}

export function mountInstance(container, { api, navigate, params }) {
  ensureStyles();
  const instanceId = routeParam(params, 'instanceId', 'id');
  setTitle(`Instance ${instanceId}`);
  let alive = true;
  let diagram = null;
  let instance = null;
  let definition = null;
  let variables = {};
  let incidents = [];
  let activities = [];
  let editing = null;
  const roleOf = (activityId) => diagram?.roleOf(activityId) ?? null;

  const messages = createMessageArea();
  const heading = h('h1', {}, 'Process instance');
  const stateHost = h('span', { class: 'ops-instance-state' });
  const actions = h('div', { class: 'ops-buttons' });
  const meta = h('dl', { class: 'ops-meta' });
  const diagramHost = h('div');
  const crumb = h('span', {}, '…');
  const variablesHost = h('div');
  const incidentsHost = h('div');
  const notice = h('div');
  const page = h('div', { class: 'ops-page ops-instance' },
    h('nav', { class: 'ops-breadcrumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/processes' }, 'Processes'), ' › ', crumb, ' › ', h('span', { 'aria-current': 'page' }, instanceId)),
    h('div', { class: 'ops-header' }, heading, stateHost, h('span', { class: 'ops-spacer' }), actions),
    messages.element, notice, meta, diagramHost);
  container.replaceChildren(page);
  let tabs = null;
  let jobs = null;

  function definitionLink(definitionId, name) {
    return h('a', { href: `#/processes/${enc(definitionId)}` }, name);
  }

  // ---- running instance ----------------------------------------------------------------------------------------

  function renderState() {
    replace(stateHost,
      instance.suspended ? stateBadge('suspended', 'Suspended') : stateBadge('running', 'Running'),
      incidents.length ? [' ', stateBadge('incident', `${incidents.length} incident${incidents.length === 1 ? '' : 's'}`)] : null);
    replace(actions,
      h('button', { type: 'button', class: 'ops-suspend-button', onClick: toggleSuspension }, instance.suspended ? 'Activate' : 'Suspend'),
      h('button', { type: 'button', class: 'danger ops-delete-button', onClick: remove }, 'Delete'),
      h('button', { type: 'button', onClick: () => reload().catch((error) => messages.error(error, 'Cannot refresh:')) }, 'Refresh'));
  }

  async function toggleSuspension() {
    const suspend = !instance.suspended;
    const confirmed = await confirmAction({
      title: suspend ? 'Suspend this instance?' : 'Activate this instance?',
      message: suspend
        ? 'A suspended instance keeps its state, but its user tasks cannot be claimed or completed and workers cannot fetch its external tasks until it is activated again.'
        : 'Its user tasks and external tasks become workable again.',
      confirmLabel: suspend ? 'Suspend' : 'Activate',
      danger: suspend,
    });
    if (!confirmed || !alive) return;
    try {
      await api.put(`/process-instance/${enc(instanceId)}/suspended`, { suspended: suspend });
      await reload();
      if (alive) messages.success(suspend ? 'The instance is suspended.' : 'The instance is active again.');
    } catch (error) {
      messages.error(error, suspend ? 'Cannot suspend the instance:' : 'Cannot activate the instance:');
    }
  }

  async function remove() {
    const confirmed = await confirmAction({
      title: 'Delete this instance?',
      message: `Instance ${instanceId} is canceled and removed from the running instances; its history remains. This cannot be undone.`,
      confirmLabel: 'Delete instance',
    });
    if (!confirmed || !alive) return;
    try {
      await api.delete(`/process-instance/${enc(instanceId)}`);
      if (alive) navigate(`#/processes/${enc(instance.definitionId)}`);
    } catch (error) {
      messages.error(error, 'Cannot delete the instance:');
    }
  }

  async function saveVariables(modifications, deletions, success) {
    try {
      await api.post(`/process-instance/${enc(instanceId)}/variables`, { modifications, deletions });
      editing = null;
      variables = await api.get(`/process-instance/${enc(instanceId)}/variables?deserializeValues=false`);
      if (!alive) return;
      renderVariables();
      messages.success(success);
    } catch (error) {
      messages.error(error, 'Cannot save the variables:');
    }
  }

  function variableRow(name, variable) {
    if (editing === name) {
      const typeSelect = h('select', { 'aria-label': `Type of ${name}`, class: 'ops-edit-type' }, [...new Set([variable.type, ...NEW_VARIABLE_TYPES])].filter(isEditableType).map((type) => h('option', { value: type, selected: type === variable.type }, type)));
      const valueHost = h('div', { class: 'ops-value' });
      let field;
      const place = (value) => {
        field = createTypedInput({ type: typeSelect.value, value, label: `Value of ${name}` });
        field.input.classList.add('ops-edit-value');
        valueHost.replaceChildren(field.element);
      };
      typeSelect.addEventListener('change', () => place(null));
      place(variable.value);
      const save = async () => {
        let typed;
        try {
          typed = field.read();
          setFieldError(field.input, null);
        } catch (error) {
          setFieldError(field.input, error.message);
          field.input.focus();
          return;
        }
        await saveVariables({ [name]: typed }, [], `Saved “${name}”.`);
      };
      field.input.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' && field.input.tagName !== 'TEXTAREA') save();
        if (event.key === 'Escape') {
          editing = null;
          renderVariables();
        }
      });
      queueMicrotask(() => field.input.focus());
      return [h('code', {}, name), typeSelect, valueHost, [
        h('button', { type: 'button', class: 'primary ops-save-variable', onClick: save }, 'Save'),
        h('button', { type: 'button', onClick: () => {
          editing = null;
          renderVariables();
        } }, 'Cancel'),
      ]];
    }
    const editable = isEditableType(variable.type);
    return [h('code', {}, name), variable.type, h('span', { class: 'ops-value' }, displayValue(variable)), [
      h('button', { type: 'button', class: 'ops-edit-variable', disabled: !editable, title: editable ? undefined : `${variable.type} values cannot be edited here`, 'aria-label': `Edit ${name}`, onClick: () => {
        editing = name;
        renderVariables();
      } }, 'Edit'),
      h('button', { type: 'button', class: 'ops-delete-variable', 'aria-label': `Delete ${name}`, onClick: async () => {
        if (await confirmAction({ title: `Delete variable “${name}”?`, message: 'The variable is removed from the instance.', confirmLabel: 'Delete variable' })) {
          await saveVariables({}, [name], `Deleted “${name}”.`);
        }
      } }, 'Delete'),
    ]];
  }

  function renderVariables() {
    const names = Object.keys(variables).sort((a, b) => a.localeCompare(b));
    const cells = new Map(names.map((name) => [name, variableRow(name, variables[name])]));
    const table = dataTable({
      caption: 'Variables',
      rows: names,
      empty: 'This instance has no variables.',
      rowAttributes: (name) => ({ dataset: { variable: name } }),
      columns: ['Name', 'Type', 'Value', 'Actions'].map((label, index) => ({ label, class: index === 3 ? 'ops-actions' : undefined, cell: (name) => cells.get(name)[index] })),
    });
    const additions = createVariableList({ legend: 'Add variables', addLabel: 'New variable' });
    const addForm = h('form', { class: 'ops-add-variables', onSubmit: async (event) => {
      event.preventDefault();
      let values;
      try {
        values = additions.read();
      } catch (error) {
        messages.error(error, 'Cannot add yet:');
        return;
      }
      if (Object.keys(values).length === 0) return;
      await saveVariables(values, [], `Added ${Object.keys(values).map((n) => `“${n}”`).join(', ')}.`);
    } }, additions.element, h('div', { class: 'ops-buttons' }, h('button', { type: 'submit' }, 'Save new variables')));
    replace(variablesHost, table, addForm);
  }

  function renderIncidents() {
    tabs?.setLabel('incidents', `Incidents (${incidents.length})`);
    replace(incidentsHost, dataTable({
      caption: 'Open incidents',
      rows: incidents,
      empty: 'No open incidents.',
      rowAttributes: (incident) => ({ dataset: { incidentId: incident.id } }),
      columns: [
        { label: 'Since', cell: (i) => timeElement(i.incidentTimestamp) },
        { label: 'Activity', cell: (i) => (diagram ? diagram.nameOf(i.activityId) : i.activityId) },
        { label: 'Type', cell: (i) => i.incidentType },
        { label: 'Message', cell: (i) => h('span', { class: 'ops-value ops-incident-message' }, i.incidentMessage ?? '—') },
        {
          label: 'Actions',
          class: 'ops-actions',
          cell: (i) => {
            const retryable = i.incidentType === 'failedExternalTask' || i.incidentType === 'failedJob';
            return h('button', { type: 'button', class: 'ops-retry-button', disabled: !retryable, title: retryable ? 'Give the failed task or job one more retry' : 'Only failed external tasks and jobs can be retried here', 'aria-label': `Retry ${diagram ? diagram.nameOf(i.activityId) : i.activityId}`, onClick: () => retry(i) }, 'Retry');
          },
        },
      ],
    }));
  }

  async function loadJobs() {
    if (jobs && alive) tabs?.setLabel('jobs', `Jobs (${await jobs.load()})`);
  }

  async function retry(incident) {
    try {
      const job = incident.incidentType === 'failedJob';
      await api.put(job ? `/job/${enc(incident.configuration)}/retries` : `/external-task/${enc(incident.configuration)}/retries`, { retries: 1 });
      await reload();
      if (alive) messages.success(job ? 'Retried: the job runs again.' : 'Retried: the external task is available to workers again.');
    } catch (error) {
      messages.error(error, 'Cannot retry:');
    }
  }

  function decorateDiagram(tree) {
    if (!diagram) return;
    for (const marker of ['ops-active', 'ops-incident', 'ops-taken']) diagram.clearMarkers(marker);
    const active = activeActivities(tree);
    const incidentCounts = new Map();
    for (const incident of incidents) incidentCounts.set(incident.activityId, (incidentCounts.get(incident.activityId) ?? 0) + 1);
    diagram.markers(activities.filter((a) => a.endTime && !a.canceled).map((a) => a.activityId), 'ops-taken');
    diagram.markers([...active.keys()], 'ops-active');
    diagram.markers([...incidentCounts.keys()], 'ops-incident');
    const counts = new Map();
    for (const [id, tokens] of active) counts.set(id, { tokens, incidents: 0 });
    for (const [id, count] of incidentCounts) counts.set(id, { tokens: counts.get(id)?.tokens ?? 0, incidents: count });
    diagram.badges(counts);
    return active;
  }

  async function loadRunning() {
    const [tree, vars, openIncidents, history] = await Promise.all([
      api.get(`/process-instance/${enc(instanceId)}/activity-instances`),
      api.get(`/process-instance/${enc(instanceId)}/variables?deserializeValues=false`),
      api.get(`/incident?processInstanceId=${enc(instanceId)}`),
      api.get(`/history/activity-instance?processInstanceId=${enc(instanceId)}&sortBy=startTime&sortOrder=asc`),
    ]);
    variables = vars;
    incidents = openIncidents;
    activities = history;
    return tree;
  }

  function renderWaiting(active, tree) {
    const nameOf = (id) => (diagram ? diagram.nameOf(id) : id);
    const names = [...active.entries()].filter(([id]) => id !== instance.definitionId && !id.endsWith('#multiInstanceBody')).map(([id, count]) => (count > 1 ? `${nameOf(id)} ×${count}` : nameOf(id)));
    const waiting = meta.querySelector('.ops-waiting-at');
    if (waiting) waiting.textContent = names.length ? names.join(', ') : '—';
    const multi = meta.querySelector('.ops-multi-instance');
    if (multi) {
      const counts = multiInstanceCounts(tree, activities);
      multi.parentElement.hidden = counts.length === 0;
      multi.textContent = counts.map((c) => `${nameOf(c.activityId)}: ${c.running} running, ${c.completed} completed`).join('; ');
    }
  }

  async function reload() {
    try {
      instance = await api.get(`/process-instance/${enc(instanceId)}`);
    } catch (error) {
      if (error.status === 404) return showEnded();
      throw error;
    }
    const tree = await loadRunning();
    if (!alive) return;
    renderState();
    if (editing === null) renderVariables();
    renderIncidents();
    await loadJobs();
    const active = decorateDiagram(tree) ?? activeActivities(tree);
    renderWaiting(active, tree);
    tabs.refresh();
  }

  // ---- ended instance ------------------------------------------------------------------------------------------

  async function showEnded() {
    const [entry] = await api.get(`/history/process-instance?processInstanceId=${enc(instanceId)}`);
    if (!alive) return;
    if (!entry) {
      messages.error({ message: `There is no process instance ${instanceId}, running or ended.` }, 'Not found:');
      replace(actions);
      return;
    }
    const [kind, text] = ENDED_STATES[entry.state] ?? ['terminated', entry.state];
    heading.textContent = `Instance of ${entry.processDefinitionName || entry.processDefinitionKey}`;
    replace(stateHost, stateBadge(kind, text));
    replace(actions);
    setTitle(`Instance ${instanceId} (ended)`);
    replace(notice, h('p', { class: 'ops-success ops-ended-notice', role: 'status' },
      `This instance has ended: ${text.toLowerCase()} on ${formatDateTime(entry.endTime)} after ${formatDuration(entry.durationInMillis)}.`,
      entry.deleteReason ? ` Reason: ${entry.deleteReason}.` : ''));
    replace(meta,
      h('div', {}, h('dt', {}, 'Process'), h('dd', {}, definitionLink(entry.processDefinitionId, `${entry.processDefinitionName || entry.processDefinitionKey} v${entry.processDefinitionVersion}`))),
      h('div', {}, h('dt', {}, 'Business key'), h('dd', {}, entry.businessKey ?? '—')),
      h('div', {}, h('dt', {}, 'Started'), h('dd', {}, timeElement(entry.startTime))),
      h('div', {}, h('dt', {}, 'Ended'), h('dd', {}, timeElement(entry.endTime))),
      callTreeRows(entry.superProcessInstanceId, await api.get(`/history/process-instance?superProcessInstanceId=${enc(instanceId)}`)));
    replace(crumb, definitionLink(entry.processDefinitionId, entry.processDefinitionName || entry.processDefinitionKey));
    const [history, historicVariables, xml] = await Promise.all([
      api.get(`/history/activity-instance?processInstanceId=${enc(instanceId)}&sortBy=startTime&sortOrder=asc`),
      api.get(`/history/variable-instance?processInstanceId=${enc(instanceId)}&deserializeValues=false`),
      api.get(`/process-definition/${enc(entry.processDefinitionId)}/xml`).catch(() => null),
    ]);
    if (!alive) return;
    activities = history;
    const variableTable = dataTable({
      caption: 'Variables at the end',
      rows: historicVariables,
      empty: 'No variables.',
      columns: [
        { label: 'Name', cell: (v) => h('code', {}, v.name) },
        { label: 'Type', cell: (v) => v.type },
        { label: 'Value', cell: (v) => h('span', { class: 'ops-value' }, displayValue(v)) },
      ],
    });
    if (tabs) tabs.element.remove();
    tabs = createTabs([
      { id: 'history', label: 'History', render: (panel) => panel.append(historyTable(history, roleOf)) },
      { id: 'variables', label: 'Variables', render: (panel) => panel.append(variableTable) },
      { id: 'comments', label: 'Comments', render: (panel) => panel.append(createCommentsPanel({ api, processInstanceId: instanceId }).element) },
      { id: 'audit', label: 'Audit trail', render: (panel) => panel.append(createAuditTrailPanel({ api, processInstanceId: instanceId }).element) },
    ]);
    page.append(tabs.element);
    if (xml) {
      diagram?.destroy();
      diagram = createDiagramView({ label: `Diagram of the ended instance with the activities it took` });
      replace(diagramHost, diagram.element);
      if (await diagram.show(xml.bpmn20Xml)) diagram.markers(history.filter((a) => a.endTime && !a.canceled).map((a) => a.activityId), 'ops-taken');
    }
  }

  // ---- first load ----------------------------------------------------------------------------------------------

  async function load() {
    try {
      try {
        instance = await api.get(`/process-instance/${enc(instanceId)}`);
      } catch (error) {
        if (error.status === 404) return await showEnded();
        throw error;
      }
      const [loadedDefinition, { bpmn20Xml }, tree, started, children] = await Promise.all([
        api.get(`/process-definition/${enc(instance.definitionId)}`),
        api.get(`/process-definition/${enc(instance.definitionId)}/xml`),
        loadRunning(),
        api.get(`/history/process-instance?processInstanceId=${enc(instanceId)}`),
        api.get(`/process-instance?superProcessInstance=${enc(instanceId)}`),
      ]);
      if (!alive) return;
      definition = loadedDefinition;
      const name = definition.name || definition.key;
      setTitle(`Instance of ${name}`);
      heading.textContent = `Instance of ${name}`;
      replace(crumb, definitionLink(definition.id, `${name} v${definition.version}`));
      replace(meta,
        h('div', {}, h('dt', {}, 'Instance id'), h('dd', { class: 'ops-mono' }, instanceId)),
        h('div', {}, h('dt', {}, 'Process'), h('dd', {}, definitionLink(definition.id, `${name} v${definition.version}`))),
        h('div', {}, h('dt', {}, 'Business key'), h('dd', {}, instance.businessKey ?? '—')),
        h('div', {}, h('dt', {}, 'Started'), h('dd', {}, timeElement(started[0]?.startTime))),
        h('div', {}, h('dt', {}, 'Waiting at'), h('dd', { class: 'ops-waiting-at' }, '…')),
        h('div', { hidden: true }, h('dt', {}, 'Multi-instance'), h('dd', { class: 'ops-multi-instance' }, '')),
        callTreeRows(started[0]?.superProcessInstanceId, children));
      renderState();
      jobs = createJobsPanel({ api, query: `processInstanceId=${enc(instanceId)}`, definitionId: definition.id, nameOf: (id) => (diagram ? diagram.nameOf(id) : id), onChange: () => reload() });
      tabs = createTabs([
        { id: 'variables', label: 'Variables', render: (panel) => panel.append(variablesHost) },
        { id: 'incidents', label: `Incidents (${incidents.length})`, render: (panel) => panel.append(incidentsHost) },
        { id: 'history', label: 'History', render: (panel) => panel.append(historyTable(activities, roleOf)) },
        { id: 'jobs', label: 'Jobs', render: (panel) => panel.append(jobs.element) },
        { id: 'comments', label: 'Comments', render: (panel) => panel.append(createCommentsPanel({ api, processInstanceId: instanceId }).element) },
      { id: 'audit', label: 'Audit trail', render: (panel) => panel.append(createAuditTrailPanel({ api, processInstanceId: instanceId }).element) },
      ], { initial: incidents.length ? 'incidents' : 'variables' });
      page.append(tabs.element);
      renderVariables();
      renderIncidents();
      diagram = createDiagramView({ label: `Diagram of ${name}: the highlighted activities are where this instance waits` });
      replace(diagramHost, diagram.element);
      if (await diagram.show(bpmn20Xml)) {
        if (!alive) return;
        renderWaiting(decorateDiagram(tree), tree);
        renderIncidents();
      } else {
        renderWaiting(activeActivities(tree), tree);
      }
      // After the diagram: the jobs name their activities by the diagram's names.
      await loadJobs();
    } catch (error) {
      if (alive) messages.error(error, 'Cannot load the instance:');
    }
  }

  load();
  return () => {
    alive = false;
    diagram?.destroy();
  };
}
