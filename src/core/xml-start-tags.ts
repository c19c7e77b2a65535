/** The start tags of an XML document with their offsets and 1-based positions: where a refusal points, and where a missing id is added. */

export interface SourcePosition {
  /** 1-based, as Camunda reports them. */
  line: number;
  column: number;
}

export interface XmlAttribute {
  name: string;
  /** As written: entities are not decoded (ids and references never contain any). */
  value: string;
  /** Offsets of the attribute's name and of the character after its closing quote. */
  start: number;
  end: number;
  /** Whitespace around `=` (`name = "x"`): valid XML that moddle's tokenizer refuses. */
  spacedEquals: boolean;
}

export interface StartTag {
  /** The qualified name as written, e.g. `bpmn:sequenceFlow`. */
  name: string;
  /** Offset of `<` and of the character after the name. */
  offset: number;
  nameEnd: number;
  position: SourcePosition;
  attributes: XmlAttribute[];
  /** The enclosing start tag, null for the root. */
  parent: StartTag | null;
}

const NAME = /[^\s/>=]+/y;
const WHITESPACE = /\s*/y;

function match(pattern: RegExp, xml: string, at: number): string {
  pattern.lastIndex = at;
  return pattern.exec(xml)?.[0] ?? '';
}

/** Maps offsets of `xml` to 1-based lines and columns, after one pass over its line breaks. */
export function positionsOf(xml: string): (offset: number) => SourcePosition {
  const lineStarts = [0];
  for (let i = xml.indexOf('\n'); i !== -1; i = xml.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return (offset) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - lineStarts[low] + 1 };
  };
}

/** Reads the attributes of the start tag whose name ends at `at`; returns them and the offset after the tag, or null at a malformed tag. */
function readAttributes(xml: string, at: number): { attributes: XmlAttribute[]; end: number; selfClosing: boolean } | null {
  const attributes: XmlAttribute[] = [];
  let i = at;
  for (;;) {
    i += match(WHITESPACE, xml, i).length;
    if (xml.startsWith('/>', i)) return { attributes, end: i + 2, selfClosing: true };
    if (xml[i] === '>') return { attributes, end: i + 1, selfClosing: false };
    const name = match(NAME, xml, i);
    if (!name) return null;
    const start = i;
    i += name.length;
    const before = match(WHITESPACE, xml, i).length;
    if (xml[i + before] !== '=') return null;
    i += before + 1;
    const after = match(WHITESPACE, xml, i).length;
    i += after;
    const quote = xml[i];
    if (quote !== '"' && quote !== "'") return null;
    const close = xml.indexOf(quote, i + 1);
    if (close === -1) return null;
    attributes.push({ name, value: xml.slice(i + 1, close), start, end: close + 1, spacedEquals: before + after > 0 });
    i = close + 1;
  }
}

function unreadableTag(xml: string, at: number): { attributes: XmlAttribute[]; end: number; selfClosing: boolean } {
  const close = xml.indexOf('>', at);
  return close === -1 ? { attributes: [], end: xml.length, selfClosing: true } : { attributes: [], end: close + 1, selfClosing: xml[close - 1] === '/' };
}

/**
 * Lists the start tags in document order, skipping comments, CDATA, processing instructions and declarations.
 * Well-formedness is the XML parser's to judge: this scan only never loses its place.
 */
export function scanStartTags(xml: string): StartTag[] {
  const positionAt = positionsOf(xml);
  const tags: StartTag[] = [];
  const open: StartTag[] = [];
  const skipTo = (from: number, terminator: string) => {
    const end = xml.indexOf(terminator, from);
    return end === -1 ? xml.length : end + terminator.length;
  };
  let i = xml.indexOf('<');
  while (i !== -1 && i < xml.length) {
    if (xml.startsWith('<!--', i)) i = skipTo(i + 4, '-->');
    else if (xml.startsWith('<![CDATA[', i)) i = skipTo(i + 9, ']]>');
    else if (xml.startsWith('<?', i)) i = skipTo(i + 2, '?>');
    else if (xml.startsWith('<!', i)) i = skipTo(i + 2, '>');
    else if (xml.startsWith('</', i)) {
      open.pop();
      i = skipTo(i + 2, '>');
    } else if (!match(NAME, xml, i + 1)) {
      i += 1;
    } else {
      const name = match(NAME, xml, i + 1);
      // A tag it cannot read keeps its place with no attributes; the XML parser reports the error.
      const read = readAttributes(xml, i + 1 + name.length) ?? unreadableTag(xml, i);
      const tag: StartTag = { name, offset: i, nameEnd: i + 1 + name.length, position: positionAt(i), attributes: read.attributes, parent: open.at(-1) ?? null };
      tags.push(tag);
      if (!read.selfClosing) open.push(tag);
      i = read.end;
    }
    i = xml.indexOf('<', i);
  }
  return tags;
}

export function attributeOf(tag: StartTag, name: string): string | undefined {
  return tag.attributes.find((attribute) => attribute.name === name)?.value;
}

/** The namespace URI of the tag's prefix, from the `xmlns` declarations in scope. */
export function namespaceOf(tag: StartTag): string | undefined {
  const colon = tag.name.indexOf(':');
  const declaration = colon === -1 ? 'xmlns' : `xmlns:${tag.name.slice(0, colon)}`;
  for (let scope: StartTag | null = tag; scope; scope = scope.parent) {
    const uri = attributeOf(scope, declaration);
    if (uri !== undefined) return uri;
  }
  return undefined;
}

export function localNameOf(tag: StartTag): string {
  return tag.name.slice(tag.name.indexOf(':') + 1);
}

/** Where the start tag of each element with an `id` begins (the first one, when an id is used twice). */
export function idPositions(tags: readonly StartTag[]): Map<string, SourcePosition> {
  const positions = new Map<string, SourcePosition>();
  for (const tag of tags) {
    const id = attributeOf(tag, 'id');
    if (id !== undefined && !positions.has(id)) positions.set(id, tag.position);
  }
  return positions;
}
