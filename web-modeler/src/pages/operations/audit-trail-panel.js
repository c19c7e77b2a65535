/** An instance's audit trail: who started, changed, suspended, claimed, completed or deleted it and its tasks, and when. */
import { createMessageArea, dataTable, h, replace, timeElement } from './dom.js';

const enc = encodeURIComponent;

/** What changed, as `assignee: anna → ben`; variable operations name nothing (the log holds no patient data). */
function changeOf(entry) {
  if (entry.property === null) return '—';
  return `${entry.property}: ${entry.orgValue ?? '∅'} → ${entry.newValue ?? '∅'}`;
}

/** The entries of one instance, newest first (each operation may have several, one per changed property). */
export function createAuditTrailPanel({ api, processInstanceId }) {
  const messages = createMessageArea();
  const table = h('div', {}, h('p', { class: 'ops-hint' }, 'Loading the audit trail…'));
  const element = h('div', { class: 'ops-audit-trail' }, messages.element, table);

  async function load() {
    try {
      const entries = await api.get(`/history/user-operation?processInstanceId=${enc(processInstanceId)}&sortBy=timestamp&sortOrder=desc&maxResults=500`);
      replace(table, dataTable({
        caption: 'Audit trail: user operations on this instance',
        rows: entries,
        empty: 'No user operations recorded (only those of signed-in users are).',
        rowAttributes: (entry) => ({ dataset: { operationId: entry.operationId } }),
        columns: [
          { label: 'When', cell: (entry) => timeElement(entry.timestamp) },
          { label: 'User', cell: (entry) => entry.userId ?? '—' },
          { label: 'Operation', cell: (entry) => entry.operationType },
          { label: 'On', cell: (entry) => (entry.taskId ? `${entry.entityType} ${entry.taskId}` : entry.entityType) },
          { label: 'Change', cell: (entry) => changeOf(entry) },
          { label: 'Annotation', cell: (entry) => entry.annotation ?? '' },
        ],
      }));
    } catch (error) {
      messages.error(error, 'Cannot load the audit trail:');
    }
  }

  load();
  return { element, load };
}
