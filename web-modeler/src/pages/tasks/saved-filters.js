/** Tasklist's saved filters on the task list: pick one (`GET /filter`), list its tasks (`/filter/{id}/list`), save the current view as one. */
import { h, openDialog, replace, uniqueId } from '../operations/dom.js';

const enc = encodeURIComponent;

/** The task query of the page's own filters (candidate group, assignee, My tasks / Unassigned), as a filter stores it. */
export function viewQuery({ shortcut, candidateGroup, assignee, user }) {
  const query = {};
  if (candidateGroup) {
    query.candidateGroup = candidateGroup;
    // As the plain list: a claim must not make the task vanish from a group's view.
    query.includeAssignedTasks = true;
  }
  if (assignee) query.assignee = assignee;
  else if (shortcut === 'mine') query.assignee = user;
  if (shortcut === 'unassigned' && !assignee) query.unassigned = true;
  return query;
}

/** The tasks of a saved filter, narrowed by the page's own filters (the engine extends the stored query with them). */
export function savedFilterTasks(api, filterId, filters) {
  return api.post(`/filter/${enc(filterId)}/list?firstResult=0&maxResults=200`, viewQuery(filters));
}

/**
 * A "Saved filter" select over the engine's task filters, and a button that saves the current view as a new one.
 * `onChange(filterId | null)` runs when the choice changes.
 */
export function createSavedFilterPicker({ api, initial, currentView, onChange, messages }) {
  const selectId = uniqueId('saved-filter');
  let selected = initial || null;
  const select = h('select', { id: selectId, class: 'ops-saved-filter', onChange: () => {
    selected = select.value || null;
    onChange(selected);
  } }, h('option', { value: '' }, 'None (all tasks)'));
  const saveButton = h('button', { type: 'button', class: 'ops-save-filter', onClick: () => saveCurrentView() }, 'Save as filter…');

  async function reload() {
    try {
      const filters = await api.get('/filter?resourceType=Task&sortBy=name&sortOrder=asc');
      replace(select, h('option', { value: '' }, 'None (all tasks)'), filters.map((filter) => h('option', { value: filter.id, dataset: { filterName: filter.name } }, filter.name)));
      if (selected && !filters.some((filter) => filter.id === selected)) {
        selected = null;
        onChange(null);
      }
      select.value = selected ?? '';
    } catch (error) {
      messages.error(error, 'Cannot load the saved filters:');
    }
  }

  async function saveCurrentView() {
    const nameId = uniqueId('filter-name');
    const nameInput = h('input', { type: 'text', id: nameId, required: true, class: 'ops-filter-name', autocomplete: 'off' });
    const answer = await openDialog({
      title: 'Save the current view as a filter',
      content: h('div', { class: 'ops-field' }, h('label', { for: nameId }, 'Filter name'), nameInput),
      buttons: [{ label: 'Cancel', value: 'cancel' }, { label: 'Save filter', value: 'save', primary: true }],
      onSubmit: async () => {
        const name = nameInput.value.trim();
        if (!name) return true;
        const view = currentView();
        try {
          const created = await api.post('/filter/create', {
            resourceType: 'Task', name, owner: view.user, query: { ...viewQuery(view), sorting: [{ sortBy: 'created', sortOrder: 'desc' }] }, properties: {},
          });
          selected = created.id;
          return false;
        } catch (error) {
          messages.error(error, 'Cannot save the filter:');
          return false;
        }
      },
    });
    if (answer === 'save') {
      await reload();
      onChange(selected);
      messages.success(`Saved the filter “${select.selectedOptions[0]?.textContent ?? ''}”.`);
    }
  }

  return {
    element: h('div', { class: 'ops-field' }, h('label', { for: selectId }, 'Saved filter'), h('div', { class: 'ops-buttons' }, select, saveButton)),
    get selected() {
      return selected;
    },
    reload,
  };
}
