/** Readies an uploaded BPMN file for moddle, and remembers where each element starts in the file as uploaded. */
import { attributeOf, idPositions, localNameOf, namespaceOf, scanStartTags, type SourcePosition, type StartTag, type XmlAttribute } from '../core/xml-start-tags.js';

export type { SourcePosition };

const BPMN_MODEL_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** Elements whose children are flow elements. */
const FLOW_CONTAINERS = new Set(['process', 'subProcess', 'transaction', 'adHocSubProcess']);

/** BPMN 2.0's flow elements: bpmn-elements keys its queues and consumer tags by their ids, so each needs one. */
const FLOW_ELEMENTS = new Set([
  'sequenceFlow',
  'task', 'userTask', 'serviceTask', 'sendTask', 'receiveTask', 'scriptTask', 'businessRuleTask', 'manualTask', 'callActivity',
  'subProcess', 'transaction', 'adHocSubProcess',
  'startEvent', 'endEvent', 'intermediateThrowEvent', 'intermediateCatchEvent', 'boundaryEvent', 'implicitThrowEvent',
  'exclusiveGateway', 'parallelGateway', 'inclusiveGateway', 'eventBasedGateway', 'complexGateway',
  'dataObject', 'dataObjectReference', 'dataStoreReference',
]);

export interface GeneratedId {
  id: string;
  /** The element's tag as written, e.g. `bpmn:sequenceFlow`. */
  tag: string;
  position: SourcePosition;
}

export interface BpmnSource {
  /** The XML moddle reads: ids added to id-less flow elements, `name = "x"` written `name="x"`. */
  xml: string;
  /** Flow elements that had no id, with the id they run under. */
  generatedIds: GeneratedId[];
  /** Where the start tag of the element with this id (generated ids included) begins in the uploaded file. */
  positionOf(id: string): SourcePosition | undefined;
  /** The document element (`definitions`): where problems of the whole file point. */
  root: { id: string | null; position: SourcePosition } | null;
  /** The id of the element whose start tag begins at `position` in the uploaded file, or of its nearest ancestor with one. */
  elementIdAt(position: SourcePosition): string | null;
}

function isBpmn(tag: StartTag): boolean {
  return namespaceOf(tag) === BPMN_MODEL_NS;
}

function needsId(tag: StartTag): boolean {
  return attributeOf(tag, 'id') === undefined && FLOW_ELEMENTS.has(localNameOf(tag)) && tag.parent !== null
    && FLOW_CONTAINERS.has(localNameOf(tag.parent)) && isBpmn(tag) && isBpmn(tag.parent);
}

/**
 * Named after the element and where it starts, so the same file always gets the same ids and a problem names a
 * place one can find; a suffix keeps it apart from ids the file already uses.
 */
function generateId(tag: StartTag, taken: ReadonlySet<string>): string {
  const base = `${localNameOf(tag)}_line${tag.position.line}_column${tag.position.column}`;
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}_${n}`;
  return id;
}

/** `name = "x"` becomes `name="x"` followed by the whitespace it lost, so every tag still starts where it did. */
function withoutSpacedEquals(xml: string, attribute: XmlAttribute): string {
  const text = xml.slice(attribute.start, attribute.end);
  const equals = text.indexOf('=', attribute.name.length);
  const quoted = text.slice(equals + 1).trimStart();
  const whitespace = text.slice(attribute.name.length, equals) + text.slice(equals + 1, text.length - quoted.length);
  return `${attribute.name}=${quoted}${whitespace}`;
}

export function readBpmnSource(uploaded: string): BpmnSource {
  const tags = scanStartTags(uploaded);
  const positions = idPositions(tags);

  const idOf = new Map<StartTag, string>();
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const generatedIds: GeneratedId[] = [];
  const taken = new Set(positions.keys());
  for (const tag of tags) {
    if (needsId(tag)) {
      const id = generateId(tag, taken);
      taken.add(id);
      positions.set(id, tag.position);
      idOf.set(tag, id);
      generatedIds.push({ id, tag: tag.name, position: tag.position });
      edits.push({ start: tag.nameEnd, end: tag.nameEnd, text: ` id="${id}"` });
    }
    for (const attribute of tag.attributes) {
      if (attribute.spacedEquals) edits.push({ start: attribute.start, end: attribute.end, text: withoutSpacedEquals(uploaded, attribute) });
    }
  }

  let xml = uploaded;
  if (edits.length > 0) {
    const parts: string[] = [];
    let at = 0;
    for (const edit of edits.sort((a, b) => a.start - b.start)) {
      parts.push(uploaded.slice(at, edit.start), edit.text);
      at = edit.end;
    }
    parts.push(uploaded.slice(at));
    xml = parts.join('');
  }
  const tagsAt = new Map(tags.map((tag) => [`${tag.position.line}:${tag.position.column}`, tag]));
  const elementIdAt = (position: SourcePosition) => {
    for (let tag = tagsAt.get(`${position.line}:${position.column}`) ?? null; tag; tag = tag.parent) {
      const id = attributeOf(tag, 'id') ?? idOf.get(tag);
      if (id !== undefined) return id;
    }
    return null;
  };
  const root = tags.length > 0 ? { id: attributeOf(tags[0], 'id') ?? null, position: tags[0].position } : null;
  return { xml, generatedIds, root, positionOf: (id) => positions.get(id), elementIdAt };
}
