/**
 * Self-contained ES module bundles (pdfjs's pdf.mjs and pdf.worker.mjs: no imports, one
 * `export { a, b as c, … }` at the end) evaluated as a function body instead of through the module
 * loader, with V8's code cache. Each batch lane and each CLI run starts by compiling these
 * two files (3.4 MB of JavaScript) and then compiling, lazily, every pdfjs function the first
 * document calls: a third of a lane's start-up. The code cache made after the first document
 * holds that compiled code, and the next process or lane starts from it.
 *
 * The cache lives beside the batch bundle in node_modules/.cache/jixiao, keyed by the bundle file's
 * path, size and time (the wrapped text is kept beside its code cache) and the Node version; V8
 * rejects a cache it cannot use (other flags, other build), and the source is then compiled as
 * without one. Nothing is written when the directory cannot be written.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';

const CACHE_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'node_modules', '.cache', 'jixiao');

/** Scripts compiled without a usable cache, whose code cache is written after their first use (`stem.v8`; `prefix`: its cache family). */
const unsaved: { stem: string; prefix: string; script: vm.Script }[] = [];

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
 * The bundle `source` (the text of `file`) as a function body returning its exports, or null when
 * it is not a self-contained bundle (an import, another export, no export at the end). Non-ASCII
 * characters are written as \u escapes (pdfjs has a few, all in string literals), so the text reads
 * back as a one-byte string.
 */
function wrapBundle(file: string, source: string): string | null {
  const code = source.replace(/\n\/\/# sourceMappingURL=\S*\s*$/, '\n');
  const exportAt = code.lastIndexOf('\nexport {');
  if (exportAt < 0) return null;
  const exported = exportObject(code.slice(exportAt + 1));
  const body = code.slice(0, exportAt).replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(file).href));
  if (!exported || /^\s*(?:import|export)\b/m.test(body)) return null;
  const wrapped = `(function () {"use strict";\n${body}\nreturn ${exported};\n})`;
  return wrapped.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Compiles `wrapped` with the code cache at `stem.v8` (if V8 accepts it) and returns the exports. */
function run(file: string, wrapped: string, stem: string, prefix: string): Record<string, unknown> {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${stem}.v8`);
    touch(`${stem}.v8`);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(wrapped, { filename: fileURLToPath(pathToFileURL(file)), cachedData, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  if (!cachedData || script.cachedDataRejected) unsaved.push({ stem, prefix, script });
  return (script.runInThisContext() as () => Record<string, unknown>)();
}

export interface BundleOptions {
  /** What else the prepared body depends on: the package's version, the transform's text. */
  key?: string;
  /** A rewrite of the bundle's text before it is wrapped; null when it does not apply. */
  transform?: (source: string) => string | null;
}

/**
 * Bumped when wrapBundle's output changes, or a caller's transform does without its key changing,
 * so prepared bodies of the old form are not used.
 */
const PREPARED_FORM = 1;

/**
 * The exports of the bundle in `file`, optionally rewritten first, or null when it is not a
 * self-contained bundle (an import, another export, no export at the end: the caller then loads it
 * as a module) or the transform does not apply. The wrapped body is kept in the cache directory
 * (`name-key.js`, beside its `name-key.v8`), keyed by the file's path, size and modification time,
 * the caller's key and the Node version: a start then reads one ASCII file instead of reading,
 * rewriting, scanning and hashing megabytes of source (a fifth of a lane's start-up).
 * A kept body that no longer compiles is removed and the bundle prepared again.
 */
export function evaluateBundleFile(file: string, name: string, opts: BundleOptions = {}, cacheDir = CACHE_DIR): Record<string, unknown> | null {
  const { size, mtimeMs } = statSync(file);
  const key = createHash('sha256')
    .update(JSON.stringify([PREPARED_FORM, process.version, file, size, mtimeMs, opts.key ?? '']))
    .digest('hex')
    .slice(0, 16);
  const stem = join(cacheDir, `${name}-${key}`);
  let kept: string | null = null;
  try {
    kept = readFileSync(`${stem}.js`, 'latin1');
    touch(`${stem}.js`);
  } catch {
    kept = null;
  }
  if (kept !== null) {
    try {
      return run(file, kept, stem, `${name}-`);
    } catch {
      for (const ext of ['.js', '.v8']) rmSync(`${stem}${ext}`, { force: true });
    }
  }
  const source = readFileSync(file, 'utf8');
  const rewritten = opts.transform ? opts.transform(source) : source;
  const wrapped = rewritten === null ? null : wrapBundle(file, rewritten);
  if (wrapped === null) return null;
  writeQuietly(`${stem}.js`, wrapped, `${name}-`, `${stem}.v8`);
  return run(file, wrapped, stem, `${name}-`);
}

/** Writes a cache file by rename (readers never see half of it) and prunes its family; nothing on a read-only install. */
function writeQuietly(path: string, data: string | Buffer, prefix: string, alsoKeep: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
    pruneStale(dirname(path), prefix, [path, alsoKeep]);
  } catch {
    // A read-only install: every start prepares and compiles the bundles, as without a cache.
  }
}

/** How many bundles were evaluated without a usable cache and wait for saveCodeCaches. */
export function unsavedCodeCaches(): number {
  return unsaved.length;
}

/** Writes the code cache of bundles evaluated without one (call once they have done real work). */
export function saveCodeCaches(): void {
  for (const { stem, prefix, script } of unsaved.splice(0)) writeQuietly(`${stem}.v8`, script.createCachedData(), prefix, `${stem}.js`);
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
export function pruneStale(dir: string, prefix: string, keep: string | readonly string[]): void {
  const kept = new Set(typeof keep === 'string' ? [keep] : keep);
  const dayAgo = Date.now() - 86_400_000;
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!name.startsWith(prefix) || kept.has(path)) continue;
      if (statSync(path).mtimeMs < dayAgo) unlinkSync(path);
    }
  } catch {
    // Pruning is housekeeping: a failure leaves a stale file, nothing else.
  }
}
