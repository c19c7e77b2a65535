/** `#/processes/<definitionId>`: the diagram with tokens and incidents per activity, and the running instances. */
import { createDiagramView } from './diagram-view.js';
import { createMessageArea, createTabs, dataTable, h, replace, routeParam, setTitle, stateBadge, timeElement } from './dom.js';
import { createJobsPanel } from './jobs-panel.js';
import { openStartInstanceDialog } from './start-instance-dialog.js';
import { ensureStyles } from './styles.js';

const enc = encodeURIComponent;

/** Per activity `{ tokens, incidents }` from `/process-definition/{id}/statistics?incidents=true`. */
export function countsOf(statistics) {
  return new Map(statistics.map((s) => [s.id, { tokens: s.instances, incidents: s.incidents.reduce((sum, i) => sum + i.incidentCount, 0) }]));
}

export function mountDefinition(container, { api, navigate, params }) {
  ensureStyles();
  const definitionId = routeParam(params, 'definitionId', 'id');
  setTitle('Process definition');
  let alive = true;
  let activityFilter = null;
  let instances = [];
  let diagram = null;

  const messages = createMessageArea();
  const heading = h('h1', {}, 'Process definition');
  const versionHost = h('span');
  const actions = h('div', { class: 'ops-buttons' });
  const meta = h('dl', { class: 'ops-meta' });
  const diagramHost = h('div');
  const instancesHost = h('div', {}, h('p', { class: 'ops-hint' }, 'Loading instances…'));
  // Timer start events and every instance's timers and continuations.
  const jobs = createJobsPanel({ api, query: `processDefinitionId=${enc(definitionId)}`, definitionId, nameOf: (id) => (diagram ? diagram.nameOf(id) : id), onChange: () => refresh() });
  const tabs = createTabs([
    { id: 'instances', label: 'Running instances', render: (panel) => panel.append(instancesHost) },
    { id: 'jobs', label: 'Jobs', render: (panel) => panel.append(jobs.element) },
  ]);
  const page = h('div', { class: 'ops-page ops-definition' },
    h('nav', { class: 'ops-breadcrumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/processes' }, 'Processes'), ' › ', h('span', { 'aria-current': 'page' }, definitionId)),
    h('div', { class: 'ops-header' }, heading, versionHost, h('span', { class: 'ops-spacer' }), actions),
    messages.element, meta, diagramHost, tabs.element);
  container.replaceChildren(page);

  function renderInstances() {
    const rows = activityFilter ? instances.filter((instance) => activityFilter.ids.has(instance.id)) : instances;
    const filterNote = activityFilter
      ? h('p', { class: 'ops-filter-note', role: 'status' }, `Only instances waiting at “${activityFilter.name}”. `, h('button', { type: 'button', class: 'ops-link-button', onClick: () => setFilter(null) }, 'Show all'))
      : null;
    tabs.setLabel('instances', `Running instances (${instances.length})`);
    replace(instancesHost, filterNote, dataTable({
      caption: 'Running instances',
      rows,
      empty: activityFilter ? 'No running instance waits there.' : 'No running instances. Start one with “Start instance”.',
      rowAttributes: (instance) => ({ dataset: { instanceId: instance.id } }),
      columns: [
        { label: 'Instance', cell: (instance) => h('a', { href: `#/instances/${enc(instance.id)}`, class: 'ops-mono' }, instance.id) },
        { label: 'Business key', cell: (instance) => instance.businessKey ?? '—' },
        { label: 'Started', cell: (instance) => timeElement(instance.startTime) },
        {
          label: 'State',
          cell: (instance) => [
            instance.suspended ? stateBadge('suspended', 'Suspended') : stateBadge('running', 'Running'),
            instance.incidents ? [' ', stateBadge('incident', `${instance.incidents} incident${instance.incidents === 1 ? '' : 's'}`)] : null,
          ],
        },
      ],
    }));
  }

  async function setFilter(activityId) {
    diagram?.clearMarkers('ops-filter');
    if (!activityId) {
      activityFilter = null;
      renderInstances();
      return;
    }
    try {
      const matching = await api.get(`/process-instance?processDefinitionId=${enc(definitionId)}&activityIdIn=${enc(activityId)}&maxResults=1000`);
      if (!alive) return;
      activityFilter = { id: activityId, name: diagram.nameOf(activityId), ids: new Set(matching.map((instance) => instance.id)) };
      diagram.markers([activityId], 'ops-filter');
      tabs.select('instances');
      renderInstances();
    } catch (error) {
      messages.error(error, 'Cannot filter the instances:');
    }
  }

  async function loadInstances() {
    const [running, history, incidents] = await Promise.all([
      api.get(`/process-instance?processDefinitionId=${enc(definitionId)}&maxResults=1000`),
      api.get(`/history/process-instance?processDefinitionId=${enc(definitionId)}&unfinished=true&sortBy=startTime&sortOrder=desc&maxResults=1000`),
      api.get(`/incident?processDefinitionId=${enc(definitionId)}`),
    ]);
    const runtime = new Map(running.map((instance) => [instance.id, instance]));
    const incidentCounts = new Map();
    for (const incident of incidents) incidentCounts.set(incident.processInstanceId, (incidentCounts.get(incident.processInstanceId) ?? 0) + 1);
    instances = history
      .filter((entry) => runtime.has(entry.id))
      .map((entry) => ({ id: entry.id, businessKey: entry.businessKey, startTime: entry.startTime, suspended: runtime.get(entry.id).suspended, incidents: incidentCounts.get(entry.id) ?? 0 }));
    return incidents.length;
  }

  async function load() {
    messages.clear();
    let definition;
    try {
      definition = await api.get(`/process-definition/${enc(definitionId)}`);
    } catch (error) {
      if (!alive) return;
      messages.error(error, error.status === 404 ? 'This process definition does not exist (any more):' : 'Cannot load the process definition:');
      replace(instancesHost, h('p', { class: 'ops-empty' }, h('a', { href: '#/processes' }, 'Back to the processes')));
      return;
    }
    if (!alive) return;
    const name = definition.name || definition.key;
    setTitle(`${name} v${definition.version}`);
    heading.textContent = name;
    page.querySelector('[aria-current="page"]').textContent = `${name} v${definition.version}`;
    replace(meta,
      h('div', {}, h('dt', {}, 'Key'), h('dd', {}, h('code', {}, definition.key))),
      h('div', {}, h('dt', {}, 'Definition id'), h('dd', { class: 'ops-mono' }, definition.id)),
      h('div', {}, h('dt', {}, 'Deployment'), h('dd', { class: 'ops-mono' }, definition.deploymentId)),
      definition.versionTag ? h('div', {}, h('dt', {}, 'Version tag'), h('dd', {}, definition.versionTag)) : null,
      h('div', {}, h('dt', {}, 'State'), h('dd', {}, definition.suspended ? stateBadge('suspended', 'Suspended') : stateBadge('running', 'Active'))));
    replace(actions,
      h('button', { type: 'button', class: 'primary', disabled: definition.suspended, onClick: async () => {
        const instance = await openStartInstanceDialog({ api, definition });
        if (instance && alive) navigate(`#/instances/${enc(instance.id)}`);
      } }, 'Start instance'),
      h('a', { class: 'button', href: `#/modeler?definition=${enc(definition.id)}` }, 'Open in modeler'),
      h('button', { type: 'button', onClick: () => refresh() }, 'Refresh'));

    api.get(`/process-definition?key=${enc(definition.key)}&sortBy=version&sortOrder=desc`).then((versions) => {
      if (!alive || versions.length < 2) return;
      replace(versionHost, h('label', { class: 'ops-inline-form' }, h('span', { class: 'ops-visually-hidden' }, 'Version'),
        h('select', { class: 'ops-version-select', 'aria-label': 'Version', onChange: (event) => navigate(`#/processes/${enc(event.target.value)}`) },
          versions.map((v) => h('option', { value: v.id, selected: v.id === definition.id }, `v${v.version}${v === versions[0] ? ' (latest)' : ''}`)))));
    }, () => {});

    diagram = createDiagramView({ label: `Diagram of ${name} with running instances and incidents per activity`, onElementClick: (id) => setFilter(activityFilter?.id === id ? null : id) });
    replace(diagramHost, diagram.element);
    try {
      const [{ bpmn20Xml }] = await Promise.all([api.get(`/process-definition/${enc(definitionId)}/xml`), loadInstances()]);
      if (!alive) return;
      renderInstances();
      if (await diagram.show(bpmn20Xml)) await decorate();
    } catch (error) {
      if (alive) messages.error(error, 'Cannot load the diagram or instances:');
    }
  }

  async function decorate() {
    const statistics = await api.get(`/process-definition/${enc(definitionId)}/statistics?incidents=true`);
    if (!alive) return;
    const counts = countsOf(statistics);
    diagram.badges(counts);
    diagram.markers([...counts.keys()], 'ops-selectable');
    diagram.element.setAttribute('aria-description', [...counts].map(([id, c]) => `${diagram.nameOf(id)}: ${c.tokens} running, ${c.incidents} incidents`).join('; ') || 'No running instances');
  }

  async function refresh() {
    messages.clear();
    try {
      await loadJobs();
      await loadInstances();
      if (!alive) return;
      if (activityFilter) await setFilter(activityFilter.id);
      else renderInstances();
      await decorate();
    } catch (error) {
      if (alive) messages.error(error, 'Cannot refresh:');
    }
  }

  async function loadJobs() {
    tabs.setLabel('jobs', `Jobs (${await jobs.load()})`);
  }

  load().then(() => alive && loadJobs()).catch((error) => alive && messages.error(error, 'Cannot load the jobs:'));
  return () => {
    alive = false;
    diagram?.destroy();
  };
}
