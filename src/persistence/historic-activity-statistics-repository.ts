/** Historic activity statistics of a process definition: per activity, its running, finished, canceled and complete-scope instances and its incidents. */
import type { Db } from './database.js';

export interface HistoricActivityStatisticsRow {
  activity_id: string;
  instances: string | number;
  finished: string | number;
  canceled: string | number;
  complete_scope: string | number;
  open_incidents: string | number;
  resolved_incidents: string | number;
  deleted_incidents: string | number;
}

export interface HistoricActivityStatisticsQuery {
  processDefinitionId: string;
  startedBefore?: Date;
  startedAfter?: Date;
  finishedBefore?: Date;
  finishedAfter?: Date;
  processInstanceIdIn?: string[];
  sortOrder: 'asc' | 'desc';
}

/** One grouped query over the definition's activity instances, with its incidents counted per activity beside them. */
export async function historicActivityStatistics(db: Db, query: HistoricActivityStatisticsQuery): Promise<HistoricActivityStatisticsRow[]> {
  const activities = db('hist_activity_instance')
    .where('process_definition_id', query.processDefinitionId)
    .select('activity_id')
    .select({
      instances: db.raw('count(*) filter (where end_time is null)'),
      finished: db.raw('count(*) filter (where end_time is not null)'),
      canceled: db.raw('count(*) filter (where canceled)'),
      complete_scope: db.raw('count(*) filter (where complete_scope)'),
    })
    .groupBy('activity_id');
  if (query.startedBefore) activities.where('start_time', '<=', query.startedBefore);
  if (query.startedAfter) activities.where('start_time', '>=', query.startedAfter);
  if (query.finishedBefore) activities.where('end_time', '<=', query.finishedBefore);
  if (query.finishedAfter) activities.where('end_time', '>=', query.finishedAfter);
  if (query.processInstanceIdIn) activities.whereIn('process_instance_id', query.processInstanceIdIn);
  const incidents = db('hist_incident')
    .where('process_definition_id', query.processDefinitionId)
    .select('activity_id')
    .select({
      open_incidents: db.raw("count(*) filter (where state = 'open')"),
      resolved_incidents: db.raw("count(*) filter (where state = 'resolved')"),
      deleted_incidents: db.raw("count(*) filter (where state = 'deleted')"),
    })
    .groupBy('activity_id');
  if (query.processInstanceIdIn) incidents.whereIn('process_instance_id', query.processInstanceIdIn);
  return db
    .from(activities.as('a'))
    .leftJoin(incidents.as('i'), 'i.activity_id', 'a.activity_id')
    .select('a.*', db.raw('coalesce(i.open_incidents, 0) as open_incidents'), db.raw('coalesce(i.resolved_incidents, 0) as resolved_incidents'), db.raw('coalesce(i.deleted_incidents, 0) as deleted_incidents'))
    .orderBy('a.activity_id', query.sortOrder) as unknown as Promise<HistoricActivityStatisticsRow[]>;
}
