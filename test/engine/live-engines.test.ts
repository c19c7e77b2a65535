/** Specification of the per-node cache of engines kept between commands: keyed by instance and state version. */
import { expect } from 'chai';
import { LiveEngines } from '../../src/engine/live-engines.js';
import type { InstanceRunner } from '../../src/engine/process-runner.js';

function runner(reusable = true): InstanceRunner {
  return { reusable, run: () => Promise.reject(new Error('not run here')) };
}

describe('engine/live-engines', () => {
  it('should hand out the runner that wrote the version the row holds, once', () => {
    // given
    const engines = new LiveEngines(10);
    const kept = runner();
    engines.keep('instance-1', 3, kept);

    // when / then
    expect(engines.take('instance-1', 3)).to.equal(kept);
    expect(engines.take('instance-1', 3)).to.equal(undefined);
    expect(engines.lookups).to.deep.equal({ hits: 1, misses: 1 });
  });

  it('should drop a runner whose version another node has moved past', () => {
    // given: this node wrote version 3, another node version 4
    const engines = new LiveEngines(10);
    engines.keep('instance-1', 3, runner());

    // when / then
    expect(engines.take('instance-1', 4)).to.equal(undefined);
    expect(engines.size).to.equal(0);
  });

  it('should keep the newest version when two commands of one transaction return runners', () => {
    // given
    const engines = new LiveEngines(10);
    const newer = runner();
    engines.keep('instance-1', 5, newer);

    // when
    engines.keep('instance-1', 4, runner());

    // then
    expect(engines.take('instance-1', 5)).to.equal(newer);
  });

  it('should keep no runner that cannot continue, and none at all with capacity 0', () => {
    const engines = new LiveEngines(10);
    engines.keep('instance-1', 1, runner(false));
    const none = new LiveEngines(0);
    none.keep('instance-1', 1, runner());

    expect(engines.size).to.equal(0);
    expect(none.size).to.equal(0);
  });

  it('should let the least recently kept runner go beyond its capacity', () => {
    // given
    const engines = new LiveEngines(2);
    engines.keep('a', 1, runner());
    engines.keep('b', 1, runner());
    engines.keep('a', 2, runner());

    // when
    engines.keep('c', 1, runner());

    // then
    expect(engines.take('b', 1)).to.equal(undefined);
    expect(engines.take('a', 2)).to.not.equal(undefined);
    expect(engines.take('c', 1)).to.not.equal(undefined);
  });
});
