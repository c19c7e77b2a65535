/** Parsing BPMN resources: what is deployed, what is skipped with a warning, and what is refused with Camunda's message. */
import { expect } from 'chai';
import { ParseError } from '../../src/core/errors.js';
import { parseBpmn } from '../../src/engine/index.js';
import { fixture } from '../support/rest-client.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="d" targetNamespace="t">${body}</bpmn:definitions>`;
}

async function parseError(xml: string): Promise<ParseError> {
  try {
    await parseBpmn('p.bpmn', xml);
  } catch (error) {
    expect(error).to.be.instanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error('expected a ParseError');
}

function problems(error: ParseError) {
  return (error.details!['p.bpmn'] as { errors: Array<{ message: string; mainElementId: string | null }> }).errors;
}

describe('engine/bpmn-parser', () => {
  it('should read the process key, name, version tag and history time to live', async () => {
    const parsed = await parseBpmn('invoice-approval.bpmn', fixture('bpmn/invoice-approval.bpmn').toString());
    expect(parsed.processes).to.deep.equal([{ key: 'invoice-approval', name: 'Invoice approval', versionTag: '1.0', historyTimeToLive: 180, startableInTasklist: true }]);
    expect(JSON.parse(parsed.serializedContext)).to.have.property('processes');
  });

  it('should skip a process with isExecutable="false" with a warning', async () => {
    const xml = definitions('<bpmn:process id="pool" isExecutable="false"/><bpmn:process id="main" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>');
    const parsed = await parseBpmn('p.bpmn', xml);
    expect(parsed.processes.map((p) => p.key)).to.deep.equal(['main']);
    expect(parsed.warnings[0]).to.contain("'pool'");
  });

  it('should refuse a file without an executable process', async () => {
    const error = await parseError(definitions('<bpmn:process id="pool" isExecutable="false"/>'));
    expect(error.message).to.match(/^ENGINE-09005 Could not parse BPMN process\./);
    expect(problems(error)[0].message).to.contain('no executable process');
  });

  it('should refuse malformed XML with the line of the problem', async () => {
    const error = await parseError(definitions('<bpmn:process id="p" isExecutable="true">\n<bpmn:startEvent id="s">\n</bpmn:process>'));
    expect(problems(error)[0]).to.include({ line: 3 });
  });

  it('should refuse DOCTYPE and entity declarations', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>${definitions('<bpmn:process id="p" isExecutable="true"/>').replace(/^<\?xml[^>]*>/, '')}`;
    const error = await parseError(xml);
    expect(problems(error)[0].message).to.contain('DOCTYPE');
  });

  it('should refuse a reference to an element that does not exist, naming the flow', async () => {
    const error = await parseError(definitions('<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="nowhere"/></bpmn:process>'));
    expect(problems(error)[0]).to.include({ mainElementId: 'f' });
  });

  it('should refuse a camunda:errorEventDefinition on an external task instead of ignoring it', async () => {
    const error = await parseError(definitions(`<bpmn:process id="p" isExecutable="true">
      <bpmn:serviceTask id="charge" camunda:type="external" camunda:topic="charge">
        <bpmn:extensionElements><camunda:errorEventDefinition id="e" expression="\${declined}" /></bpmn:extensionElements>
      </bpmn:serviceTask>
    </bpmn:process>`));
    expect(problems(error)).to.have.length(1);
    expect(problems(error)[0]).to.include({ mainElementId: 'charge' });
    expect(problems(error)[0].message).to.contain('camunda:errorEventDefinition');
  });

  it('should list every unsupported element of the file at once', async () => {
    const error = await parseError(definitions(`<bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s"><bpmn:timerEventDefinition id="t"/></bpmn:startEvent>
      <bpmn:serviceTask id="java" camunda:class="com.example.Delegate"/>
      <bpmn:callActivity id="sub" calledElement="other"/>
      <bpmn:userTask id="listened"><bpmn:extensionElements><camunda:taskListener event="create" class="x.Y"/></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="js" sourceRef="s" targetRef="sub"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">true</bpmn:conditionExpression></bpmn:sequenceFlow>
    </bpmn:process>`));
    expect(problems(error).map((p) => p.mainElementId)).to.deep.equal(['s', 'java', 'sub', 'listened', 'js']);
    expect(error.message).to.contain("ServiceTask").and.to.contain("task listener with camunda:class");
  });
});
