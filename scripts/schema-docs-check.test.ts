import { describe, expect, it } from '@jest/globals';
import { checkSubgraphSchemas, missingDescriptions } from './schema-docs-check';

describe('the schema documentation check', () => {
  it('finds every undescribed type, field, argument, enum value and input field, with its line', () => {
    const sdl = [
      '"Described."',
      'type Query {',
      '  "Described."',
      '  thing(id: ID!, "Described." other: Int): Thing',
      '  bare: Int',
      '}',
      'type Thing { id: ID! }',
      '"Described."',
      'enum Colour {',
      '  "Described."',
      '  RED',
      '  BLUE',
      '}',
      'input Filter { colour: Colour }',
      'scalar DateTime',
      'extend type Query { added: Int }',
    ].join('\n');
    expect(missingDescriptions(sdl, 'x.graphql').map(({ line, coordinate, kind }) => `${line} ${kind} ${coordinate}`)).toEqual([
      '4 argument Query.thing(id:)',
      '5 field Query.bare',
      '7 type Thing',
      '7 field Thing.id',
      '12 enum value Colour.BLUE',
      '14 type Filter',
      '14 input field Filter.colour',
      '15 type DateTime',
      '16 field Query.added',
    ]);
  });

  it('counts blank descriptions as missing', () => {
    expect(missingDescriptions('""" """\ntype Query { "" a: Int }', 'x.graphql').map((item) => item.coordinate)).toEqual(['Query', 'Query.a']);
  });

  it('passes on the subgraph schemas of this repository', () => {
    expect(checkSubgraphSchemas()).toEqual([]);
  });
});
