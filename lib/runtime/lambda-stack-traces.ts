import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapping } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Stack traces of a bundled function that point at the TypeScript lines, paid for on the error path only.
 *
 * `--enable-source-maps` reads and parses the bundle's source map (about 2 MB) when the bundle loads, at every
 * cold start, whether or not an error ever shows a stack: 5-25 ms of CPU per cold start measured here (AWS's
 * Lambda documentation warns of the same cost). `process.setSourceMapsEnabled(true)` on an error path does not
 * help: Node maps only code loaded after it was called. So the function's bundle ships its map beside it
 * (index.js.map, infra/lib/bundling.ts) and this hook reads it the first time a stack is formatted (an error
 * logged, or one the runtime reports), once per container: that first error pays the read and the parse.
 *
 * Frames in the bundle read as Node writes them with the flag: the original file (resolved against the map's
 * location), line, column and, where the map has it, the function's original name; every other frame is untouched.
 */
export function mapBundleStackTracesOnDemand(bundleFile: string): void {
  const mapFile = `${bundleFile}.map`;
  // Node maps them already (NODE_OPTIONS=--enable-source-maps), or this is not a bundle (sources run by tsx, tests).
  if (process.sourceMapsEnabled || installed.has(bundleFile) || !existsSync(mapFile)) return;
  installed.add(bundleFile);
  let map: SourceMap | null | undefined;
  const bundleMap = (): SourceMap | null => {
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]);
      } catch {
        // No readable map: frames stay as they are rather than the stack failing.
        map = null;
      }
    }
    return map;
  };
  const mapBase = pathToFileURL(mapFile);
  const entryAt = (line: number | null, column: number | null): MapEntry | undefined => {
    if (line === null || column === null) return undefined;
    const entry = bundleMap()?.findEntry(line - 1, column - 1);
    return entry && 'originalSource' in entry && entry.originalSource ? entry : undefined;
  };
  /** A frame as Node writes it with --enable-source-maps (lib/internal/source_map/prepare_stack_trace.js). */
  const mapped = (callSite: NodeJS.CallSite, index: number, callSites: readonly NodeJS.CallSite[]): string => {
    const entry = callSite.getFileName() === bundleFile ? entryAt(callSite.getLineNumber(), callSite.getColumnNumber()) : undefined;
    if (!entry) return String(callSite);
    // The original name: the enclosing function's, else the one the next frame called it by.
    const next = callSites[index + 1];
    const name =
      entryAt(callSite.getEnclosingLineNumber(), callSite.getEnclosingColumnNumber())?.name ??
      (next?.getFileName() === bundleFile ? entryAt(next.getLineNumber(), next.getColumnNumber())?.name : undefined);
    const typeName = callSite.getTypeName();
    const v8Name = `${typeName !== null && typeName !== 'global' ? `${typeName}.` : ''}${callSite.getFunctionName() ?? callSite.getMethodName() ?? '<anonymous>'}`;
    const source = fileURLToPath(new URL(entry.originalSource, mapBase));
    return `${name && name !== v8Name ? name : v8Name} (${source}:${entry.originalLine + 1}:${entry.originalColumn + 1})`;
  };
  Error.prepareStackTrace = (error, callSites) => {
    let frames: string[];
    try {
      frames = callSites.map(mapped);
    } catch {
      frames = callSites.map(String);
    }
    return [headline(error), ...frames].join('\n    at ');
  };
}

const installed = new Set<string>();

/** Node's entries carry the original symbol's `name` too (@types/node leaves it out). */
type MapEntry = SourceMapping & { readonly name?: string };

/** The first line of a stack as V8 writes it. */
function headline(error: Error): string {
  try {
    return Error.prototype.toString.call(error);
  } catch {
    return '<error>';
  }
}
