/** `#/processes`: deployed process definitions with versions, running instances and incidents, and "Start instance". */
import { createMessageArea, dataTable, h, replace, setTitle } from './dom.js';
import { openStartInstanceDialog } from './start-instance-dialog.js';
import { ensureStyles } from './styles.js';

function incidentCount(statistics) {
  return (statistics?.incidents ?? []).reduce((sum, incident) => sum + incident.incidentCount, 0);
}

/** Groups definitions by key (each version newest first), with each version's statistics. */
function groupByKey(definitions, statistics) {
  const byId = new Map(statistics.map((s) => [s.id, s]));
  const groups = new Map();
  for (const definition of definitions) {
    const group = groups.get(definition.key) ?? { key: definition.key, versions: [] };
    group.versions.push({ definition, instances: byId.get(definition.id)?.instances ?? 0, incidents: incidentCount(byId.get(definition.id)) });
    groups.set(definition.key, group);
  }
  for (const group of groups.values()) group.versions.sort((a, b) => b.definition.version - a.definition.version);
  return [...groups.values()].sort((a, b) => (a.versions[0].definition.name || a.key).localeCompare(b.versions[0].definition.name || b.key));
}

export function mountProcesses(container, { api, navigate }) {
  ensureStyles();
  setTitle('Processes');
  let alive = true;
  const selectedVersion = new Map();
  const messages = createMessageArea();
  const summary = h('div', { class: 'ops-summary', 'aria-label': 'Summary' });
  const listHost = h('div', { class: 'ops-section' }, h('p', { class: 'ops-hint' }, 'Loading process definitions…'));
  const refreshButton = h('button', { type: 'button', onClick: () => load() }, 'Refresh');
  const page = h('div', { class: 'ops-page ops-processes' },
    h('div', { class: 'ops-header' }, h('h1', {}, 'Processes'), h('span', { class: 'ops-spacer' }), refreshButton),
    messages.element, summary, listHost);
  container.replaceChildren(page);

  async function start(definition) {
    const instance = await openStartInstanceDialog({ api, definition });
    if (!instance || !alive) return;
    navigate(`#/instances/${encodeURIComponent(instance.id)}`);
  }

  function render(groups) {
    const totals = groups.reduce((sum, group) => {
      for (const version of group.versions) {
        sum.instances += version.instances;
        sum.incidents += version.incidents;
      }
      return sum;
    }, { instances: 0, incidents: 0 });
    const card = (value, label, extra = '') => h('div', { class: `ops-card ${extra}` }, h('div', { class: 'ops-card-value' }, String(value)), h('div', { class: 'ops-card-label' }, label));
    replace(summary,
      card(groups.length, groups.length === 1 ? 'process' : 'processes'),
      card(totals.instances, 'running instances'),
      card(totals.incidents, totals.incidents === 1 ? 'open incident' : 'open incidents', totals.incidents ? 'ops-card-incidents' : ''));

    if (groups.length === 0) {
      replace(listHost, h('p', { class: 'ops-empty' }, 'No process is deployed yet. ', h('a', { href: '#/modeler' }, 'Open the modeler'), ' to create and deploy one.'));
      return;
    }
    const current = (group) => group.versions.find((v) => v.definition.id === selectedVersion.get(group.key)) ?? group.versions[0];
    const table = dataTable({
      caption: 'Deployed process definitions',
      rows: groups,
      rowAttributes: (group) => ({ dataset: { key: group.key } }),
      columns: [
        {
          label: 'Name',
          cell: (group) => {
            const { definition } = current(group);
            return h('a', { href: `#/processes/${encodeURIComponent(definition.id)}`, class: 'ops-definition-link' }, definition.name || definition.key);
          },
        },
        { label: 'Key', cell: (group) => h('code', {}, group.key) },
        {
          label: 'Version',
          cell: (group) => {
            const chosen = current(group);
            if (group.versions.length === 1) return `v${chosen.definition.version}`;
            const select = h('select', { 'aria-label': `Version of ${chosen.definition.name || group.key}`, class: 'ops-version-select', onChange: (event) => {
              selectedVersion.set(group.key, event.target.value);
              render(groups);
              listHost.querySelector(`tr[data-key="${CSS.escape(group.key)}"] .ops-version-select`)?.focus();
            } }, group.versions.map((v) => h('option', { value: v.definition.id, selected: v === chosen }, `v${v.definition.version}${v === group.versions[0] ? ' (latest)' : ''}`)));
            return select;
          },
        },
        {
          label: 'Running instances',
          class: 'ops-num',
          cell: (group) => {
            const chosen = current(group);
            const all = group.versions.reduce((sum, v) => sum + v.instances, 0);
            return h('span', { class: 'ops-running-count' }, String(chosen.instances), group.versions.length > 1 ? h('span', { class: 'ops-hint' }, ` (${all} in all versions)`) : null);
          },
        },
        {
          label: 'Incidents',
          class: 'ops-num',
          cell: (group) => {
            const { incidents } = current(group);
            return h('span', { class: incidents ? 'ops-count-incidents ops-incident-count' : 'ops-incident-count' }, String(incidents));
          },
        },
        {
          label: 'Actions',
          class: 'ops-actions',
          cell: (group) => {
            const { definition } = current(group);
            const name = definition.name || definition.key;
            return [
              h('button', { type: 'button', class: 'primary ops-start-button', 'aria-label': `Start instance of ${name}`, disabled: definition.suspended, onClick: () => start(definition) }, 'Start instance'),
              h('a', { class: 'button', href: `#/modeler?definition=${encodeURIComponent(definition.id)}`, 'aria-label': `Open ${name} in the modeler` }, 'Open in modeler'),
            ];
          },
        },
      ],
    });
    replace(listHost, table);
  }

  async function load() {
    messages.clear();
    refreshButton.disabled = true;
    try {
      const [definitions, statistics] = await Promise.all([
        api.get('/process-definition?sortBy=key&sortOrder=asc&maxResults=2000'),
        api.get('/process-definition/statistics?incidents=true'),
      ]);
      if (!alive) return;
      render(groupByKey(definitions, statistics));
    } catch (error) {
      if (alive) {
        messages.error(error, 'Cannot load the process definitions:');
        replace(listHost, h('p', { class: 'ops-empty' }, 'Nothing to show.'));
      }
    } finally {
      refreshButton.disabled = false;
    }
  }

  load();
  return () => {
    alive = false;
  };
}
