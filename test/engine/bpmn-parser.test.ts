/** Parsing BPMN resources: what is deployed, what is skipped with a warning, and what is refused with Camunda's message. */
import { expect } from 'chai';
import { ParseError } from '../../src/core/errors.js';
import { parseBpmn, type BpmnParseOptions } from '../../src/engine/index.js';
import { fixture } from '../support/rest-client.js';

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

function definitions(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions ${NS} id="d" targetNamespace="t">${body}</bpmn:definitions>`;
}

async function parseError(xml: string, options: BpmnParseOptions = {}): Promise<ParseError> {
  try {
    await parseBpmn('p.bpmn', xml, options);
  } catch (error) {
    expect(error).to.be.instanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error('expected a ParseError');
}

function problems(error: ParseError) {
  return (error.details!['p.bpmn'] as { errors: Array<{ message: string; mainElementId: string | null; line: number; column: number }> }).errors;
}

/** The 1-based line and column of the `<` that opens the element with this id in `xml`. */
function startTagOf(xml: string, id: string): { line: number; column: number } {
  const lines = xml.split('\n');
  const index = lines.findIndex((line) => line.includes(`id="${id}"`));
  expect(index, `a line with id="${id}"`).to.be.at.least(0);
  return { line: index + 1, column: lines[index].lastIndexOf('<', lines[index].indexOf(`id="${id}"`)) + 1 };
}

function behaviourOf(serializedContext: string, id: string): Record<string, unknown> {
  const context = JSON.parse(serializedContext) as { activities: Array<{ id: string; behaviour: Record<string, unknown> }> };
  const activity = context.activities.find((a) => a.id === id);
  expect(activity, id).to.not.equal(undefined);
  return activity!.behaviour;
}

describe('engine/bpmn-parser', () => {
  it('should read the process key, name, version tag and history time to live', async () => {
    const parsed = await parseBpmn('invoice-approval.bpmn', fixture('bpmn/invoice-approval.bpmn').toString());
    expect(parsed.processes.map(({ serializedContext: _serializedContext, jobDeclarations: _jobDeclarations, ...process }) => process)).to.deep.equal([{ key: 'invoice-approval', name: 'Invoice approval', versionTag: '1.0', historyTimeToLive: 180, startableInTasklist: true, position: { line: 3, column: 3 }, eventStarts: [] }]);
    expect(JSON.parse(parsed.serializedContext)).to.have.property('processes');
  });

  it('should read a history time to live written as an ISO 8601 period of days, as Camunda does', async () => {
    const parsed = await parseBpmn('p.bpmn', definitions('<bpmn:process id="p" isExecutable="true" camunda:historyTimeToLive="P30D"><bpmn:startEvent id="s"/></bpmn:process>'));
    expect(parsed.processes[0].historyTimeToLive).to.equal(30);
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
      <bpmn:callActivity id="sub" calledElement="other" camunda:calledElementBinding="nightly"/>
      <bpmn:userTask id="listened"><bpmn:extensionElements><camunda:taskListener event="create" class="x.Y"/></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="js" sourceRef="s" targetRef="sub"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="javascript">true</bpmn:conditionExpression></bpmn:sequenceFlow>
    </bpmn:process>`));
    expect(problems(error).map((p) => p.mainElementId)).to.deep.equal(['s', 'java', 'sub', 'listened', 'js']);
    expect(error.message).to.contain("ServiceTask").and.to.contain("task listener with camunda:class");
  });

  describe('positions of refusals', () => {
    it('should name every refused element with the line and column of its start tag', async () => {
      // given: a model as Camunda Modeler saves it, with a Java delegate and a call activity of an unknown binding
      const xml = fixture('bpmn/bpmn-parser-refusal-positions.bpmn').toString();

      // when
      const error = await parseError(xml);

      // then
      const refused = problems(error).map(({ mainElementId, line, column }) => ({ mainElementId, line, column }));
      expect(refused).to.deep.equal([
        { mainElementId: 'Task_Charge', ...startTagOf(xml, 'Task_Charge') },
        { mainElementId: 'Activity_Ship', ...startTagOf(xml, 'Activity_Ship') },
      ]);
      expect(refused[0]).to.deep.equal({ mainElementId: 'Task_Charge', line: 7, column: 5 });
      expect(error.message).to.contain('| element Task_Charge | line 7 | column 5');
    });

    it('should point at an element on a line holding several start tags', async () => {
      const xml = definitions('<bpmn:process id="p" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:complexGateway id="r"/></bpmn:process>');

      const error = await parseError(xml);

      expect(problems(error)[0]).to.include({ mainElementId: 'r', line: 1, column: xml.indexOf('<bpmn:complexGateway') + 1 });
    });

    it('should point at the DOCTYPE declaration it refuses', async () => {
      const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n${definitions('<bpmn:process id="p" isExecutable="true"/>').replace(/^<\?xml[^>]*>/, '')}`;

      const error = await parseError(xml);

      expect(problems(error)[0]).to.include({ line: 2, column: 1 });
    });

    it('should name the definitions element of a file without an executable process', async () => {
      const error = await parseError(definitions('\n<bpmn:process id="pool" isExecutable="false"/>'));

      expect(problems(error)[0]).to.include({ mainElementId: 'd', line: 1, column: definitions('').indexOf('<bpmn:definitions') + 1 });
    });
  });

  describe('attributes written with spaces around "="', () => {
    it('should read them as Camunda does', async () => {
      const xml = definitions('<bpmn:process id = "p" isExecutable =\n "true"><bpmn:userTask id="u" name = "Review" camunda:assignee= \'demo\'/></bpmn:process>');

      const parsed = await parseBpmn('p.bpmn', xml);

      expect(parsed.processes.map((p) => p.key)).to.deep.equal(['p']);
      expect(behaviourOf(parsed.serializedContext, 'u')).to.include({ name: 'Review', assignee: 'demo' });
    });

    it('should still refuse DOCTYPE and ENTITY declarations written with them', async () => {
      const xml = `<?xml version = "1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>${definitions('<bpmn:process id = "p" isExecutable = "true"/>').replace(/^<\?xml[^>]*>/, '')}`;

      const error = await parseError(xml);

      expect(problems(error)[0].message).to.contain('DOCTYPE');
    });

    it('should leave text, comments and CDATA alone', async () => {
      const xml = definitions('<!-- a = "b" --><bpmn:process id="p" isExecutable="true"><bpmn:scriptTask id="t" scriptFormat="feel"><bpmn:script><![CDATA["a" = "a"]]></bpmn:script></bpmn:scriptTask><bpmn:textAnnotation id="n"><bpmn:text>x = "y"</bpmn:text></bpmn:textAnnotation></bpmn:process>');

      const parsed = await parseBpmn('p.bpmn', xml);

      expect(behaviourOf(parsed.serializedContext, 't')).to.include({ script: '"a" = "a"' });
    });
  });

  describe('the activiti: namespace', () => {
    it('should read activiti: attributes as camunda: ones', async () => {
      const parsed = await parseBpmn('a.bpmn', fixture('bpmn/deployment-router-activiti-namespace.bpmn').toString());

      expect(behaviourOf(parsed.serializedContext, 'Task_Review')).to.include({ assignee: '${reviewer}', candidateGroups: 'management,accounting', formKey: 'embedded:app:forms/review.html' });
      expect(behaviourOf(parsed.serializedContext, 'Task_Greet')).to.include({ expression: '${applicant}', resultVariable: 'greeting' });
    });

    it('should refuse what it refuses in camunda:, e.g. an activiti:class', async () => {
      const xml = definitions('<bpmn:process id="p" isExecutable="true" xmlns:activiti="http://activiti.org/bpmn"><bpmn:serviceTask id="java" activiti:class="org.acme.Delegate"/></bpmn:process>');

      const error = await parseError(xml);

      expect(problems(error)[0]).to.include({ mainElementId: 'java' });
      expect(problems(error)[0].message).to.contain('camunda:class="org.acme.Delegate"');
    });
  });

  describe('unresolved references', () => {
    it('should refuse a missing default flow, naming the gateway, the reference and its line', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
        <bpmn:exclusiveGateway id="gw" default="Flow_Gone"/>
      </bpmn:process>`);

      const error = await parseError(xml);

      expect(problems(error)).to.have.length(1);
      expect(problems(error)[0]).to.include({ mainElementId: 'gw', ...startTagOf(xml, 'gw') });
      expect(problems(error)[0].message).to.equal("ExclusiveGateway 'gw' refers with default to 'Flow_Gone', which is not an element of this file");
    });

    it('should refuse an errorRef to a missing error, naming the boundary event and pointing at its event definition', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
        <bpmn:userTask id="task"/>
        <bpmn:boundaryEvent id="caught" attachedToRef="task">
          <bpmn:errorEventDefinition id="ErrorEventDefinition_1" errorRef="Error_Missing"/>
        </bpmn:boundaryEvent>
      </bpmn:process>`);

      const error = await parseError(xml);

      expect(problems(error)).to.have.length(1);
      expect(problems(error)[0]).to.include({ mainElementId: 'caught', ...startTagOf(xml, 'ErrorEventDefinition_1') });
      expect(problems(error)[0].message).to.contain("ErrorEventDefinition 'ErrorEventDefinition_1' of BoundaryEvent 'caught' refers with errorRef to 'Error_Missing'");
    });

    it('should ignore, with a warning, references of the diagram and of incoming/outgoing to deleted elements', async () => {
      const parsed = await parseBpmn('stale.bpmn', fixture('bpmn/deployment-router-stale-diagram.bpmn').toString());

      expect(parsed.processes.map((p) => p.key)).to.deep.equal(['stale-diagram']);
      expect(parsed.warnings).to.have.length(3);
      expect(parsed.warnings.join('\n')).to.contain("BPMNShape 'Task_Deleted_di'").and.to.contain("UserTask 'Task_Review' refers with outgoing to 'Flow_Deleted'");
    });
  });

  describe('flow elements without an id', () => {
    it('should give each a stable id named after its position, with a warning', async () => {
      const xml = fixture('bpmn/deployment-router-flows-without-id.bpmn').toString();

      const first = await parseBpmn('f.bpmn', xml);
      const second = await parseBpmn('f.bpmn', xml);

      const flows = (JSON.parse(first.serializedContext) as { sequenceFlows: Array<{ id: string; sourceId: string; targetId: string }> }).sequenceFlows;
      expect(flows.map(({ id, sourceId, targetId }) => ({ id, sourceId, targetId }))).to.deep.equal([
        { id: 'sequenceFlow_line7_column5', sourceId: 'StartEvent_1', targetId: 'Task_Review' },
        { id: 'sequenceFlow_line8_column5', sourceId: 'Task_Review', targetId: 'EndEvent_1' },
      ]);
      expect(second.serializedContext).to.equal(first.serializedContext);
      expect(first.warnings[0]).to.contain("line 7, column 5 has no id; it runs as 'sequenceFlow_line7_column5'");
    });

    it('should not take an id the file already uses', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/><bpmn:endEvent id="sequenceFlow_line3_column1"/>
<bpmn:sequenceFlow sourceRef="s" targetRef="sequenceFlow_line3_column1"/>
</bpmn:process>`);

      const parsed = await parseBpmn('p.bpmn', xml);

      expect((JSON.parse(parsed.serializedContext) as { sequenceFlows: Array<{ id: string }> }).sequenceFlows.map((f) => f.id)).to.deep.equal(['sequenceFlow_line3_column1_2']);
    });

    it('should point a refusal of an id-less element at its start tag, under its generated id', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
<bpmn:startEvent id="s"/><bpmn:endEvent id="e"/>
<bpmn:sequenceFlow sourceRef="s" targetRef="e"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="groovy">true</bpmn:conditionExpression></bpmn:sequenceFlow>
</bpmn:process>`);

      const error = await parseError(xml);

      expect(problems(error)).to.have.length(1);
      expect(problems(error)[0]).to.include({ mainElementId: 'sequenceFlow_line3_column1', line: 3, column: 1 });
    });
  });

  describe('asynchronous continuations', () => {
    it('should deploy camunda:asyncBefore, asyncAfter and the legacy async as waits of their own', async () => {
      const parsed = await parseBpmn('p.bpmn', fixture('bpmn/bpmn-parser-async-continuations.bpmn').toString());

      const context = JSON.parse(parsed.processes[0]!.serializedContext) as { activities: Array<{ id: string }> };
      const waits = context.activities.map((activity) => activity.id).filter((id) => id.includes('$async')).sort();
      expect(waits).to.deep.equal(['StartEvent_1$asyncAfter', 'Task_After$asyncAfter', 'Task_Legacy$asyncBefore']);
    });

    it('should refuse asyncBefore on a boundary event and asyncAfter on a gateway that chooses among flows', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
      <bpmn:startEvent id="s"/>
      <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="task"/>
      <bpmn:userTask id="task"/>
      <bpmn:boundaryEvent id="deadline" attachedToRef="task" camunda:asyncBefore="true"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
      <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="choice"/>
      <bpmn:exclusiveGateway id="choice" camunda:asyncAfter="true"/>
      <bpmn:sequenceFlow id="f3" sourceRef="choice" targetRef="e1"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${true}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:sequenceFlow id="f4" sourceRef="choice" targetRef="e2"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">\${false}</bpmn:conditionExpression></bpmn:sequenceFlow>
      <bpmn:endEvent id="e1"/><bpmn:endEvent id="e2"/>
      <bpmn:sequenceFlow id="f5" sourceRef="deadline" targetRef="e3"/><bpmn:endEvent id="e3"/>
    </bpmn:process>`);

      const error = await parseError(xml);

      expect(problems(error).map((p) => p.mainElementId)).to.deep.equal(['deadline', 'choice']);
      expect(problems(error)[0].message).to.contain('camunda:asyncBefore="true", which a boundary event cannot have');
      expect(problems(error)[1].message).to.contain('camunda:asyncAfter="true" and 2 outgoing flows');
    });
  });

  describe('Java delegates', () => {
    const delegates = fixture('bpmn/deployment-router-java-delegates.bpmn').toString();

    it('should refuse them by default, naming the flag and the topic it would use', async () => {
      const error = await parseError(delegates);

      expect(problems(error).map((p) => p.mainElementId)).to.deep.equal(['Task_Charge', 'Task_Receipt', 'EndEvent_Notified']);
      expect(problems(error)[0].message).to.contain('DELEGATES_AS_EXTERNAL_TASKS=true').and.to.contain("topic 'com.acme.ChargeCard'");
      expect(problems(error)[1].message).to.contain("topic 'receiptSender'");
    });

    it('should deploy them as external tasks on the class or bean name with DELEGATES_AS_EXTERNAL_TASKS', async () => {
      const parsed = await parseBpmn('d.bpmn', delegates, { delegatesAsExternalTasks: true });

      expect(behaviourOf(parsed.serializedContext, 'Task_Charge')).to.include({ type: 'external', topic: 'com.acme.ChargeCard' }).and.not.to.have.property('class');
      expect(behaviourOf(parsed.serializedContext, 'Task_Receipt')).to.include({ type: 'external', topic: 'receiptSender' }).and.not.to.have.property('delegateExpression');
      const [message] = behaviourOf(parsed.serializedContext, 'EndEvent_Notified').eventDefinitions as Array<{ behaviour: Record<string, unknown> }>;
      expect(message.behaviour).to.include({ type: 'external', topic: 'com.acme.NotifyCustomer' });
    });

    it('should still refuse, with the flag, an expression that is not a bean name, Java listeners, connectors and field injections', async () => {
      const xml = definitions(`<bpmn:process id="p" isExecutable="true">
        <bpmn:serviceTask id="lookup" camunda:delegateExpression="\${beans.get('x')}"/>
        <bpmn:userTask id="listened"><bpmn:extensionElements><camunda:taskListener event="create" class="x.Y"/></bpmn:extensionElements></bpmn:userTask>
        <bpmn:serviceTask id="http"><bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>
        <bpmn:serviceTask id="mail" camunda:class="org.acme.Mail"><bpmn:extensionElements><camunda:field name="to" stringValue="a@b.c"/></bpmn:extensionElements></bpmn:serviceTask>
      </bpmn:process>`);

      const error = await parseError(xml, { delegatesAsExternalTasks: true });

      expect(problems(error).map((p) => p.mainElementId)).to.deep.equal(['lookup', 'listened', 'http', 'http', 'mail']);
      expect(problems(error)[0].message).to.contain('neither');
      expect(problems(error)[1].message).to.contain('task listener with camunda:class');
      expect(problems(error)[4].message).to.contain('camunda:field').and.to.contain('camunda:inputOutput');
    });
  });
  describe('messages, signals and conditional events', () => {
    it('should read the message, signal and conditional start events of a process as its event starts', async () => {
      const parsed = await parseBpmn('p.bpmn', definitions(`<bpmn:message id="m" name="order-placed"/><bpmn:signal id="s" name="recall"/>
        <bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="ByMessage"><bpmn:messageEventDefinition messageRef="m"/></bpmn:startEvent>
          <bpmn:startEvent id="BySignal"><bpmn:signalEventDefinition signalRef="s"/></bpmn:startEvent>
          <bpmn:startEvent id="ByCondition"><bpmn:conditionalEventDefinition camunda:variableName="t"><bpmn:condition>\${t &gt; 30}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:startEvent>
        </bpmn:process>`));
      expect(parsed.processes[0].eventStarts).to.deep.equal([
        { activityId: 'ByMessage', eventType: 'message', eventName: 'order-placed' },
        { activityId: 'BySignal', eventType: 'signal', eventName: 'recall' },
        { activityId: 'ByCondition', eventType: 'conditional', eventName: null, condition: { expression: '${t > 30}', language: null, variableName: 't', variableEvents: [] } },
      ]);
    });

    it('should refuse a send task without an implementation and a message event running an expression, and deploy a plain message end event', async () => {
      const error = await parseError(definitions(`<bpmn:message id="m" name="notify"/>
        <bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="s"/>
          <bpmn:sendTask id="Send"/>
          <bpmn:endEvent id="Notify"><bpmn:messageEventDefinition messageRef="m"/></bpmn:endEvent>
          <bpmn:endEvent id="Computed"><bpmn:messageEventDefinition messageRef="m" camunda:expression="\${notify()}"/></bpmn:endEvent>
        </bpmn:process>`));
      const refused = problems(error).map((problem) => [problem.mainElementId, problem.message]);
      expect(refused).to.deep.equal([
        ['Send', "SendTask 'Send' needs an implementation: camunda:type=\"external\" with camunda:topic, camunda:expression, or (business rule tasks) camunda:decisionRef"],
        ['Computed', "EndEvent 'Computed' runs camunda:expression on its message event definition, which this engine does not run yet; model the expression as a service task before it"],
      ]);
    });

    it('should refuse a catch without a message or signal name, a conditional event in a script language and a gateway leading to a task', async () => {
      const error = await parseError(definitions(`<bpmn:signal id="unnamed"/>
        <bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="s"/>
          <bpmn:intermediateCatchEvent id="NoMessage"><bpmn:messageEventDefinition/></bpmn:intermediateCatchEvent>
          <bpmn:intermediateCatchEvent id="NoSignalName"><bpmn:signalEventDefinition signalRef="unnamed"/></bpmn:intermediateCatchEvent>
          <bpmn:intermediateCatchEvent id="Scripted"><bpmn:conditionalEventDefinition><bpmn:condition language="javascript">x &gt; 1</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:intermediateCatchEvent>
          <bpmn:eventBasedGateway id="Gateway"/>
          <bpmn:sequenceFlow id="f1" sourceRef="Gateway" targetRef="Task"/>
          <bpmn:userTask id="Task"/>
        </bpmn:process>`));
      const refused = problems(error).map((problem) => [problem.mainElementId, problem.message]);
      expect(refused).to.deep.equal([
        ['NoMessage', "IntermediateCatchEvent 'NoMessage' has a message event definition without a messageRef to a message with a name"],
        ['NoSignalName', "IntermediateCatchEvent 'NoSignalName' has a signal event definition without a signalRef to a signal with a name"],
        ['Scripted', "IntermediateCatchEvent 'Scripted' has a conditional event condition in 'javascript'; conditional events take JUEL conditions (${…}) without a language"],
        ['Gateway', "EventBasedGateway 'Gateway' leads to UserTask 'Task'; an event-based gateway leads only to intermediate message, signal, timer or conditional catch events"],
      ]);
    });
  });

  describe('event sub-processes, escalations and compensation', () => {
    it('should deploy event sub-processes, escalations, compensation and link events', async () => {
      for (const name of ['event-sub-processes.bpmn', 'escalations.bpmn', 'compensation.bpmn', 'link-events.bpmn']) {
        const parsed = await parseBpmn(name, fixture(`bpmn/${name}`).toString());
        expect(parsed.processes.length, name).to.be.greaterThan(0);
      }
    });

    it('should refuse what Camunda refuses and what would run differently, naming the element', async () => {
      const error = await parseError(definitions(`<bpmn:error id="E" errorCode="E1"/>
        <bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="s"/>
          <bpmn:startEvent id="ErrorStart"><bpmn:errorEventDefinition errorRef="E"/></bpmn:startEvent>
          <bpmn:subProcess id="TwoStarts" triggeredByEvent="true">
            <bpmn:startEvent id="a"><bpmn:signalEventDefinition signalRef="S"/></bpmn:startEvent>
            <bpmn:startEvent id="b"><bpmn:signalEventDefinition signalRef="S"/></bpmn:startEvent>
          </bpmn:subProcess>
          <bpmn:subProcess id="NoTrigger" triggeredByEvent="true"><bpmn:startEvent id="c"/></bpmn:subProcess>
          <bpmn:subProcess id="QuietError" triggeredByEvent="true"><bpmn:startEvent id="QuietStart" isInterrupting="false"><bpmn:errorEventDefinition errorRef="E"/></bpmn:startEvent></bpmn:subProcess>
          <bpmn:userTask id="Task"/>
          <bpmn:boundaryEvent id="Lonely" attachedToRef="Task"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
          <bpmn:boundaryEvent id="Unmarked" attachedToRef="Task"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>
          <bpmn:userTask id="Handler"/>
          <bpmn:association id="a1" sourceRef="Unmarked" targetRef="Handler"/>
        </bpmn:process>
        <bpmn:signal id="S" name="go"/>`));
      const refused = problems(error).map((problem) => [problem.mainElementId, problem.message]);
      expect(refused).to.deep.equal([
        ['ErrorStart', "StartEvent 'ErrorStart' is an error start event outside an event sub-process; it only starts an event sub-process"],
        ['TwoStarts', "SubProcess 'TwoStarts' is an event sub-process with 2 start events; it needs exactly one"],
        ['NoTrigger', "SubProcess 'NoTrigger' is an event sub-process whose start event has no event definition; it needs exactly one (message, timer, signal, conditional, error or escalation)"],
        ['QuietError', "SubProcess 'QuietError' is an event sub-process with a non-interrupting error start event; an error start event always interrupts"],
        ['Lonely', "BoundaryEvent 'Lonely' is a compensation boundary event without an association to its compensation handler"],
        ['Unmarked', "BoundaryEvent 'Unmarked' is associated with UserTask 'Handler', which is not marked isForCompensation=\"true\""],
      ]);
    });

    it('should refuse a transaction and a complex gateway, with the reason', async () => {
      const error = await parseError(definitions(`<bpmn:process id="p" isExecutable="true">
          <bpmn:startEvent id="s"/>
          <bpmn:transaction id="Booking"/>
          <bpmn:complexGateway id="Complex"/>
        </bpmn:process>`));
      expect(problems(error).map((problem) => [problem.mainElementId, problem.message])).to.deep.equal([
        ['Booking', "Transaction 'Booking' is a transaction sub-process, which this engine does not run: its cancel semantics roll back the whole transaction by compensation; model it as a sub-process with an error boundary event or an error event sub-process that throws compensation"],
        ['Complex', "ComplexGateway 'Complex' is a complex gateway, which Camunda 7 does not run either; use an inclusive or a parallel gateway"],
      ]);
    });
  });
});
