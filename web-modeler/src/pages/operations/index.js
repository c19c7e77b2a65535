/** Placeholder for the operations views (definitions, one definition, one instance); replaced by the operations work. */
import { h, setTitle } from '../../ui.js';

function placeholder(container, title) {
  setTitle(title);
  container.append(h('div', { class: 'page' }, h('h1', {}, title)));
}

export function mountProcesses(container) {
  placeholder(container, 'Processes');
}

export function mountDefinition(container, { params }) {
  placeholder(container, `Process definition ${params.definitionId}`);
}

export function mountInstance(container, { params }) {
  placeholder(container, `Process instance ${params.instanceId}`);
}
