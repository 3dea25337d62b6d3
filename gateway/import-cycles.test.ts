import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

/**
 * The gateway's modules import each other without cycles, type-only imports included: a cycle means two files that
 * cannot be understood, tested or changed apart (and, for value imports, an evaluation order that depends on which
 * file loads first). This walks every import of gateway/ (TypeScript's own pre-processor, so nothing is executed)
 * and fails with the cycles it finds, each as the chain of files that closes it.
 */

const ROOT = resolve(__dirname);

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The gateway files a file imports (relative specifiers that resolve inside gateway/). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier))
    .map((target) => [`${target}.ts`, join(target, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((target): target is string => target !== undefined && target.startsWith(`${ROOT}/`));
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan's algorithm). */
export function importCycles(files: readonly string[], edges: (file: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of edges(file)) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges(file).includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('gateway imports', () => {
  it('form no cycle', () => {
    const graph = new Map(sourceFiles(ROOT).map((file) => [file, importsOf(file)]));
    const cycles = importCycles([...graph.keys()], (file) => graph.get(file) ?? []);
    expect(cycles.map((cycle) => cycle.map((file) => relative(ROOT, file)))).toEqual([]);
  });

  it('are checked by a walk that finds a cycle when there is one', () => {
    const edges: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['e'] };
    expect(importCycles(Object.keys(edges), (file) => edges[file] ?? [])).toEqual([['a', 'b', 'c'], ['e']]);
  });
});
