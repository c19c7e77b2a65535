/** Comments of a task (with a form to add one) or of a process instance: newest first, with author and time. */
import { createMessageArea, h, replace, timeElement, uniqueId } from './dom.js';

const enc = encodeURIComponent;

/**
 * `taskId` set: the task's comments, and new ones are made on the task and its instance (so the instance lists them
 * too, as Camunda's Tasklist does); without it, the instance's comments, read only (Camunda comments through tasks).
 */
export function createCommentsPanel({ api, processInstanceId, taskId = null, onChange = () => {} }) {
  const messages = createMessageArea();
  const list = h('div', { class: 'ops-comment-list-host' }, h('p', { class: 'ops-hint' }, 'Loading comments…'));
  const path = taskId ? `/task/${enc(taskId)}/comment` : `/process-instance/${enc(processInstanceId)}/comment`;

  function render(comments) {
    if (comments.length === 0) {
      replace(list, h('p', { class: 'ops-empty' }, 'No comments yet.'));
      return;
    }
    replace(list, h('ol', { class: 'ops-comment-list', 'aria-label': 'Comments' }, comments.map((comment) => h('li', { class: 'ops-comment', dataset: { commentId: comment.id } },
      h('p', { class: 'ops-comment-message' }, comment.message),
      h('p', { class: 'ops-hint' }, comment.userId ?? 'Anonymous', ' · ', timeElement(comment.time))))));
  }

  async function load() {
    try {
      render(await api.get(path));
    } catch (error) {
      messages.error(error, 'Cannot load the comments:');
    }
  }

  let form = null;
  if (taskId) {
    const id = uniqueId('new-comment');
    const input = h('textarea', { id, rows: '3', required: true, class: 'ops-new-comment' });
    const button = h('button', { type: 'submit', class: 'primary' }, 'Add comment');
    form = h('form', { class: 'ops-comment-form', 'aria-label': 'Add a comment', onSubmit: async (event) => {
      event.preventDefault();
      const message = input.value.trim();
      if (!message) return;
      button.disabled = true;
      try {
        await api.post(`${path}/create`, { message, processInstanceId });
        input.value = '';
        messages.success('Comment added.');
        await load();
        onChange();
      } catch (error) {
        messages.error(error, 'The engine refused the comment:');
      } finally {
        button.disabled = false;
      }
    } }, h('label', { for: id }, 'New comment'), input, h('div', { class: 'ops-buttons' }, button));
  }

  load();
  return { element: h('div', { class: 'ops-comments' }, messages.element, list, form), load };
}
