/** Generates large but valid models (many processes in one BPMN file, many rules in one DMN table) for deployment limits. */

const BPMN_HEADER = '<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="Definitions_many" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.22.0">\n';

/** Process `p<i>`: a start event, one sequence flow and an end event, with its diagram. */
function trivialProcess(i: number): { process: string; diagram: string } {
  const process = `  <bpmn:process id="p${i}" name="Process ${i}" isExecutable="true" camunda:historyTimeToLive="30">
    <bpmn:startEvent id="p${i}_start"><bpmn:outgoing>p${i}_flow</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="p${i}_flow" sourceRef="p${i}_start" targetRef="p${i}_end" />
    <bpmn:endEvent id="p${i}_end"><bpmn:incoming>p${i}_flow</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
`;
  const diagram = `  <bpmndi:BPMNDiagram id="p${i}_diagram">
    <bpmndi:BPMNPlane id="p${i}_plane" bpmnElement="p${i}">
      <bpmndi:BPMNShape id="p${i}_start_di" bpmnElement="p${i}_start"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="p${i}_end_di" bpmnElement="p${i}_end"><dc:Bounds x="252" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="p${i}_flow_di" bpmnElement="p${i}_flow"><di:waypoint x="188" y="120" /><di:waypoint x="252" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
`;
  return { process, diagram };
}

/** One BPMN file with `count` executable processes `p0` … `p<count-1>`, each start → end. */
export function manyProcessesBpmn(count: number): string {
  const parts = Array.from({ length: count }, (_, i) => trivialProcess(i));
  return `${BPMN_HEADER}${parts.map((p) => p.process).join('')}${parts.map((p) => p.diagram).join('')}</bpmn:definitions>\n`;
}

/** One DMN decision `rules` with a FIRST hit policy table of `count` rules: input `n` equal to i gives output i. */
export function manyRulesDmn(count: number): string {
  const rules = Array.from({ length: count }, (_, i) => `      <rule id="r${i}">
        <inputEntry id="r${i}_in"><text>${i}</text></inputEntry>
        <outputEntry id="r${i}_out"><text>${i}</text></outputEntry>
      </rule>
`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="many_rules" name="Many rules" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="rules" name="Many rules" camunda:historyTimeToLive="30">
    <decisionTable id="rules_table" hitPolicy="FIRST">
      <input id="n_input" label="n"><inputExpression id="n_expression" typeRef="integer"><text>n</text></inputExpression></input>
      <output id="result_output" name="result" typeRef="integer" />
${rules}    </decisionTable>
  </decision>
</definitions>
`;
}
