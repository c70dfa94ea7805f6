/**
 * Self-contained ES module bundles (pdfjs's pdf.mjs and pdf.worker.mjs: no imports, one
 * `export { a, b as c, … }` at the end) evaluated as a function body instead of through the module
 * loader, with V8's code cache. Each worker-thread lane and each CLI run starts by compiling these
 * two files (5 MB of JavaScript) and then compiling, lazily, every pdfjs function the first
 * document calls: a third of a lane's start-up. The code cache made after the first document
 * holds that compiled code, and the next process or lane starts from it.
 *
 * The cache lives beside the batch bundle in node_modules/.cache/jixiao, keyed by the source text
 * and the Node version; V8 rejects a cache it cannot use (other flags, other build), and the
 * source is then compiled as without one. Nothing is written when the directory cannot be written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const CACHE_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'node_modules', '.cache', 'jixiao');

/** Scripts compiled without a usable cache, whose code cache is written after their first use (`prefix`: its cache family). */
const unsaved: { path: string; prefix: string; script: vm.Script }[] = [];

/** `export { a, b as c };` → the object literal source `{ a: a, c: b }`, or null for anything else. */
function exportObject(statement: string): string | null {
  const m = /^export\s*\{([^}]*)\};?\s*$/.exec(statement.trim());
  if (!m) return null;
  const entries: string[] = [];
  for (const part of m[1]!.split(',')) {
    const spec = /^\s*([A-Za-z_$][\w$]*)(?:\s+as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
    if (!spec) return null;
    entries.push(`${JSON.stringify(spec[2] ?? spec[1]!)}: ${spec[1]}`);
  }
  return `{ ${entries.join(', ')} }`;
}

/**
 * The exports of the bundle `source` (the text of `file`), or null when it is not a self-contained
 * bundle (an import, another export, no export at the end): the caller then loads it as a module.
 */
export function evaluateBundle(file: string, source: string, name = basename(file), cacheDir = CACHE_DIR): Record<string, unknown> | null {
  const code = source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  const exportAt = code.lastIndexOf('\nexport {');
  if (exportAt < 0) return null;
  const exported = exportObject(code.slice(exportAt + 1));
  const body = code.slice(0, exportAt).replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href));
  if (!exported || /^\s*(?:import|export)\b/m.test(body)) return null;
  const wrapped = `(function () {"use strict";\n${body}\nreturn ${exported};\n})`;
  const key = createHash('sha256').update(process.version).update(wrapped).digest('hex').slice(0, 16);
  const prefix = `${name}-`;
  const path = join(cacheDir, `${prefix}${key}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(path);
    touch(path);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrapped, { filename: fileURLToPath(pathToFileURL(file)), cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  if (!cachedData || script.cachedDataRejected) unsaved.push({ path, prefix, script });
  return (script.runInThisContext() as () => Record<string, unknown>)();
}

/** How many bundles were evaluated without a usable cache and wait for saveCodeCaches. */
export function unsavedCodeCaches(): number {
  return unsaved.length;
}

/** Writes the code cache of bundles evaluated without one (call once they have done real work). */
export function saveCodeCaches(): void {
  for (const { path, prefix, script } of unsaved.splice(0)) {
    try {
      mkdirSync(dirname(path), { recursive: true });
      const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, path);
      pruneStale(dirname(path), prefix, path);
    } catch {
      // A read-only install: every start compiles the bundles, as without a cache.
    }
  }
}

/** Marks a cache file as in use (pruneStale spares what was used within a day). */
export function touch(path: string): void {
  try {
    const now = new Date();
    utimesSync(path, now, now);
  } catch {
    // Read-only: the file is only pruned by whoever can write the directory.
  }
}

/**
 * Removes files of a cache family (`prefix…`) other than `keep` not used for a day (see touch): the
 * caches of sources since changed (an upgrade, an edit).
 */
export function pruneStale(dir: string, prefix: string, keep: string): void {
  const dayAgo = Date.now() - 86_400_000;
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!name.startsWith(prefix) || path === keep) continue;
      if (statSync(path).mtimeMs < dayAgo) unlinkSync(path);
    }
  } catch {
    // Pruning is housekeeping: a failure leaves a stale file, nothing else.
  }
}
