/** The engine's Prometheus metrics: label values stay bounded whatever the models compute. */
import { expect } from 'chai';
import { LiveEngines } from '../../src/engine/live-engines.js';
import { EngineMetrics, MAX_TOPIC_LABELS, OTHER_TOPIC } from '../../src/telemetry/engine-metrics.js';
import { parsePrometheusText } from '../support/prometheus-text.js';

describe('telemetry/engine-metrics', () => {
  function engineMetrics(): EngineMetrics {
    return new EngineMetrics({ cluster: async () => ({ activeInstances: [], openIncidents: [], dueJobs: 0, overdueJobs: 0, oldestDueJob: null, outbox: null }), pool: () => ({ used: 0, free: 0, pending: 0, max: 1 }), now: () => new Date(), kafka: null, liveEngines: new LiveEngines(0) }, { reporter: 'test', intervalMs: 0 });
  }

  it('should count external tasks by topic up to MAX_TOPIC_LABELS topics, and further ones as other', async () => {
    // given topics computed per instance (a topic expression), more of them than labels are kept
    const metrics = engineMetrics();
    for (let index = 0; index < MAX_TOPIC_LABELS + 5; index++) {
      metrics.commandFinished('complete external task', 0.001, true, [{ kind: 'externalTasks', event: 'completed', topicName: `topic-${index}`, count: 1 }]);
    }
    metrics.commandFinished('complete external task', 0.001, true, [{ kind: 'externalTasks', event: 'completed', topicName: 'topic-0', count: 1 }]);

    // when scraped
    const { text } = await metrics.scrape();
    const scraped = parsePrometheusText(text);

    // then the first topics keep their own series, and the rest share one
    expect(scraped.value('engine_external_tasks_completed_total', { topic: 'topic-0' })).to.equal(2);
    expect(scraped.value('engine_external_tasks_completed_total', { topic: `topic-${MAX_TOPIC_LABELS - 1}` })).to.equal(1);
    expect(scraped.value('engine_external_tasks_completed_total', { topic: OTHER_TOPIC })).to.equal(5);
    expect(text).not.to.contain(`topic="topic-${MAX_TOPIC_LABELS}"`);
  });
});
