/** Camunda's CommentDto and AttachmentDto (LinkableDto: `links` is empty unless the request created the resource). */
import type { AttachmentRow } from '../../services/attachment-service.js';
import type { CommentRow } from '../../services/comment-service.js';
import { dateValue } from './date-value.js';
import type { AtomLink } from './links.js';

export function commentDto(row: CommentRow, links: AtomLink[] = []) {
  return {
    links,
    id: row.id,
    userId: row.user_id,
    time: dateValue(row.time),
    taskId: row.task_id,
    message: row.message,
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
    processInstanceId: row.process_instance_id,
  };
}

export function attachmentDto(row: AttachmentRow, links: AtomLink[] = []) {
  return {
    links,
    id: row.id,
    name: row.name,
    description: row.description,
    taskId: row.task_id,
    type: row.type,
    url: row.url,
    createTime: dateValue(row.create_time),
    removalTime: dateValue(row.removal_time),
    rootProcessInstanceId: row.root_process_instance_id,
  };
}
