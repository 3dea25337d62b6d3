/**
 * Fails when a type, field, argument, enum value or input field of a subgraph's SDL (schema/<context>.graphql)
 * has no description. Descriptions flow into the supergraph, Apollo Sandbox, GraphiQL and the storefront's
 * generated types: they are the API's documentation. `npm run schema:docs-check` (CI).
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Kind, parse, type ASTNode, type StringValueNode } from 'graphql';
import { SUBGRAPHS } from './compose';

export interface MissingDescription {
  readonly file: string;
  readonly line: number;
  /** Schema coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`. */
  readonly coordinate: string;
  readonly kind: 'type' | 'field' | 'argument' | 'enum value' | 'input field';
}

type Described = ASTNode & { readonly description?: StringValueNode | undefined };

function documented(node: Described): boolean {
  return (node.description?.value.trim() ?? '') !== '';
}

export function missingDescriptions(sdl: string, file: string): MissingDescription[] {
  const missing: MissingDescription[] = [];
  const report = (node: Described, coordinate: string, kind: MissingDescription['kind']) => {
    if (!documented(node)) missing.push({ file, line: node.loc?.startToken.line ?? 0, coordinate, kind });
  };
  for (const definition of parse(sdl).definitions) {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.UNION_TYPE_DEFINITION: {
        const type = definition.name.value;
        report(definition, type, 'type');
        if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
          for (const field of definition.fields ?? []) {
            report(field, `${type}.${field.name.value}`, 'field');
            for (const argument of field.arguments ?? []) report(argument, `${type}.${field.name.value}(${argument.name.value}:)`, 'argument');
          }
        } else if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
          for (const field of definition.fields ?? []) report(field, `${type}.${field.name.value}`, 'input field');
        } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
          for (const value of definition.values ?? []) report(value, `${type}.${value.name.value}`, 'enum value');
        }
        break;
      }
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        // `extend type` cannot carry a description itself; what it adds still needs one.
        for (const field of definition.fields ?? []) {
          report(field, `${definition.name.value}.${field.name.value}`, 'field');
          for (const argument of field.arguments ?? []) report(argument, `${definition.name.value}.${field.name.value}(${argument.name.value}:)`, 'argument');
        }
        break;
      }
      default:
        break;
    }
  }
  return missing;
}

const root = resolve(__dirname, '..');

export function checkSubgraphSchemas(): MissingDescription[] {
  return SUBGRAPHS.flatMap(({ name }) => {
    const path = resolve(root, `schema/${name}.graphql`);
    return missingDescriptions(readFileSync(path, 'utf8'), relative(root, path));
  });
}

if (require.main === module) {
  const missing = checkSubgraphSchemas();
  if (missing.length > 0) {
    for (const item of missing) console.error(`${item.file}:${item.line}: ${item.kind} ${item.coordinate} has no description`);
    console.error(`\n${missing.length} schema element(s) without a description: write one above each (units, limits, who may call, error codes).`);
    process.exit(1);
  }
  console.log(`every type, field, argument, enum value and input field of ${SUBGRAPHS.map((s) => `schema/${s.name}.graphql`).join(', ')} is described.`);
}
