/** Start tags with their positions: what refusals point at, read past comments, CDATA and quoted '>'. */
import { expect } from 'chai';
import { namespaceOf, scanStartTags } from '../../src/core/xml-start-tags.js';

describe('core/xml-start-tags', () => {
  it('should list start tags in document order with 1-based line and column, skipping comments, CDATA and processing instructions', () => {
    const xml = '<?xml version="1.0"?>\n<a id="1">\n  <!-- <b id="no"> -->\n  <b id="2" x=\'>\'/><![CDATA[<c id="no">]]>\r\n\t<c id="3"></c>\n</a>';

    const tags = scanStartTags(xml);

    expect(tags.map((t) => [t.name, t.attributes.find((a) => a.name === 'id')?.value, t.position.line, t.position.column])).to.deep.equal([
      ['a', '1', 2, 1],
      ['b', '2', 4, 3],
      ['c', '3', 5, 2],
    ]);
    expect(tags[1].parent).to.equal(tags[0]);
    expect(tags[2].parent).to.equal(tags[0]);
  });

  it('should read attributes with whitespace around "=" and mark them', () => {
    const [tag] = scanStartTags('<a id = "x" name\n=\n\'y\' other="z"/>');

    expect(tag.attributes.map(({ name, value, spacedEquals }) => ({ name, value, spacedEquals }))).to.deep.equal([
      { name: 'id', value: 'x', spacedEquals: true },
      { name: 'name', value: 'y', spacedEquals: true },
      { name: 'other', value: 'z', spacedEquals: false },
    ]);
  });

  it('should keep its place past a tag it cannot read, leaving the error to the XML parser', () => {
    const tags = scanStartTags('<a><b id=x/>< <c id="1"/></a>');

    expect(tags.map((t) => [t.name, t.attributes.length, t.position.column, t.parent?.name])).to.deep.equal([['a', 0, 1, undefined], ['b', 0, 4, 'a'], ['c', 1, 15, 'a']]);
  });

  it('should resolve a prefix through the xmlns declarations in scope', () => {
    const tags = scanStartTags('<r xmlns="urn:default" xmlns:p="urn:p"><p:x/><y xmlns="urn:inner"/><z/></r>');

    expect(tags.map(namespaceOf)).to.deep.equal(['urn:default', 'urn:p', 'urn:inner', 'urn:default']);
  });
});
