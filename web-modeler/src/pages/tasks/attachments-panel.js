/** A task's attachments: list, download (content) or open (link), delete, and add a link or a file. */
import { confirmAction, createMessageArea, dataTable, h, replace, timeElement, uniqueId } from '../operations/dom.js';

const enc = encodeURIComponent;

/** Only web addresses become links: an attachment's url is anyone's text, and `javascript:` must not run. */
function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

/** Saves a Blob under `name` through a temporary object URL (a plain link would lack the API's credentials). */
function saveBlob(blob, name) {
  const href = URL.createObjectURL(blob);
  const link = h('a', { href, download: name || 'attachment' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

export function createAttachmentsPanel({ api, taskId, onChange = () => {} }) {
  const messages = createMessageArea();
  const table = h('div', {}, h('p', { class: 'ops-hint' }, 'Loading attachments…'));
  const base = `/task/${enc(taskId)}/attachment`;

  async function download(attachment) {
    try {
      saveBlob(await api.download(`${base}/${enc(attachment.id)}/data`), attachment.name);
    } catch (error) {
      messages.error(error, 'Cannot download the attachment:');
    }
  }

  async function remove(attachment) {
    if (!(await confirmAction({ title: 'Delete attachment', message: `Delete “${attachment.name ?? attachment.id}”?`, confirmLabel: 'Delete' }))) return;
    try {
      await api.delete(`${base}/${enc(attachment.id)}`);
      messages.success('Attachment deleted.');
      await load();
      onChange();
    } catch (error) {
      messages.error(error, 'The engine refused to delete the attachment:');
    }
  }

  function openCell(attachment) {
    if (attachment.url === null) {
      return h('button', { type: 'button', class: 'ops-download-attachment', onClick: () => download(attachment) }, `Download ${attachment.name ?? ''}`.trim());
    }
    const href = safeHref(attachment.url);
    return href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, attachment.url) : h('span', { class: 'ops-value' }, attachment.url);
  }

  async function load() {
    try {
      const attachments = await api.get(base);
      replace(table, dataTable({
        caption: 'Attachments of this task',
        rows: attachments,
        empty: 'No attachments yet.',
        rowAttributes: (attachment) => ({ dataset: { attachmentId: attachment.id } }),
        columns: [
          { label: 'Name', cell: (attachment) => attachment.name ?? '—' },
          { label: 'Description', cell: (attachment) => attachment.description ?? '' },
          { label: 'Type', cell: (attachment) => attachment.type ?? '' },
          { label: 'Added', cell: (attachment) => timeElement(attachment.createTime) },
          { label: 'Open', cell: openCell },
          { label: 'Actions', cell: (attachment) => h('button', { type: 'button', class: 'ops-delete-attachment', 'aria-label': `Delete ${attachment.name ?? attachment.id}`, onClick: () => remove(attachment) }, 'Delete') },
        ],
      }));
    } catch (error) {
      messages.error(error, 'Cannot load the attachments:');
    }
  }

  const ids = { kind: uniqueId('attachment-kind'), name: uniqueId('attachment-name'), description: uniqueId('attachment-description'), url: uniqueId('attachment-url'), file: uniqueId('attachment-file') };
  const nameInput = h('input', { type: 'text', id: ids.name, autocomplete: 'off' });
  const descriptionInput = h('input', { type: 'text', id: ids.description, autocomplete: 'off' });
  const urlInput = h('input', { type: 'url', id: ids.url, placeholder: 'https://…', autocomplete: 'off' });
  const fileInput = h('input', { type: 'file', id: ids.file });
  const kindSelect = h('select', { id: ids.kind }, h('option', { value: 'url' }, 'Link'), h('option', { value: 'file' }, 'File'));
  const urlRow = h('div', { class: 'ops-field' }, h('label', { for: ids.url }, 'Address'), urlInput);
  const fileRow = h('div', { class: 'ops-field', hidden: true }, h('label', { for: ids.file }, 'File'), fileInput);
  kindSelect.addEventListener('change', () => {
    urlRow.hidden = kindSelect.value !== 'url';
    fileRow.hidden = kindSelect.value !== 'file';
  });
  const addButton = h('button', { type: 'submit', class: 'primary' }, 'Add attachment');
  const form = h('form', { class: 'ops-attachment-form', 'aria-label': 'Add an attachment', onSubmit: async (event) => {
    event.preventDefault();
    const data = new FormData();
    const file = fileInput.files?.[0];
    if (kindSelect.value === 'file') {
      if (!file) {
        messages.error({ message: 'Choose a file first.' }, 'Cannot add the attachment:');
        return;
      }
      data.append('attachment-name', nameInput.value.trim() || file.name);
      data.append('attachment-type', file.type || 'application/octet-stream');
      data.append('content', file, file.name);
    } else {
      if (!safeHref(urlInput.value.trim())) {
        messages.error({ message: 'Enter a web address (http or https).' }, 'Cannot add the attachment:');
        return;
      }
      data.append('attachment-name', nameInput.value.trim() || urlInput.value.trim());
      data.append('attachment-type', 'url');
      data.append('url', urlInput.value.trim());
    }
    if (descriptionInput.value.trim()) data.append('attachment-description', descriptionInput.value.trim());
    addButton.disabled = true;
    try {
      await api.upload(`${base}/create`, data);
      form.reset();
      urlRow.hidden = false;
      fileRow.hidden = true;
      messages.success('Attachment added.');
      await load();
      onChange();
    } catch (error) {
      messages.error(error, 'The engine refused the attachment:');
    } finally {
      addButton.disabled = false;
    }
  } },
  h('div', { class: 'ops-field' }, h('label', { for: ids.kind }, 'Kind'), kindSelect),
  h('div', { class: 'ops-field' }, h('label', { for: ids.name }, 'Name'), nameInput),
  h('div', { class: 'ops-field' }, h('label', { for: ids.description }, 'Description'), descriptionInput),
  urlRow, fileRow,
  h('div', { class: 'ops-buttons' }, addButton));

  load();
  return { element: h('div', { class: 'ops-attachments' }, messages.element, table, form), load };
}
