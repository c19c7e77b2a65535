/** Read-only history queries; the rows are written by the commands themselves. */
export {
  listHistoricProcessInstances,
  countHistoricProcessInstances,
  listHistoricActivityInstances,
  countHistoricActivityInstances,
  listHistoricVariableInstances,
  countHistoricVariableInstances,
} from '../persistence/history-repository.js';
