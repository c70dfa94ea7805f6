/**
 * eval's --ocr-cache: the pipeline's IngestCache on disk, under eval/out/ocr-cache/<version>/, so that
 * a change to the document repairs, parsing or checks is measured in seconds instead of reading every
 * scan again. <version> hashes what a reading depends on: the files of src/ingest (but for
 * ocr-document.ts, whose repairs run on the kept reading; it is hashed should a reading's source
 * import it) and every repository source they import at run time, however deeply
 * (src/layout/grid.ts, and through it stream.ts and titles.ts; type-only imports are erased and
 * left out, so a change to the record schemas keeps the readings), the versions of the packages
 * that read PDFs and run OCR, and JIXIAO_OCR_DPI. Files found by a computed path (the vocabulary's
 * data, `new URL(\`./data/${name}\`, …)`) are hashed as files of src/ingest. A change to
 * any of them starts a new folder. A reading is kept as it was made: one made while an OCR worker
 * failed (the English model's reading of figures is then left out) stays so until the folder is
 * deleted. Readings are kept with v8.serialize, which keeps shared values shared (a label
 * recalled on a later page shares the confidences of its first reading, and ocr-document.ts counts
 * it once).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { IngestedDocument } from '../src/ingest/types.js';
import type { IngestCache } from '../src/pipeline.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const AFTER_THE_CACHE = new Set(['src/ingest/ocr-document.ts']);
const PACKAGES = ['pdfjs-dist', 'tesseract.js', 'tesseract.js-core', '@tesseract.js-data/chi_sim', '@tesseract.js-data/eng', '@napi-rs/canvas', 'utif2', 'wasm-feature-detect'];
/** Settings of the environment a reading depends on (the resolution scans are rendered at). */
const ENVIRONMENT = ['JIXIAO_OCR_DPI'];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))));
  return nested.flat();
}

/**
 * A relative run-time import's specifier in a source: `from './x.js'` (not `import type … from`
 * or `export type … from`, which are erased), `import './x.js'`, `import('./x.js')`,
 * `require('./x.cjs')`, `new URL('./x.cjs', import.meta.url)`.
 */
const RELATIVE_IMPORT = /(?:^[ \t]*(?:import|export)[ \t]+type\b[^;]*?\bfrom\s*['"][^'"]+['"])|(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*|\bnew URL\(\s*)['"](\.{1,2}\/[^'"]+)['"]/gm;

const isFile = (path: string): Promise<boolean> => stat(path).then((s) => s.isFile(), () => false);

/** The file a relative specifier of `from` names (a .js specifier names the .ts beside it), or null outside the repository or where none is. */
async function resolveImport(from: string, specifier: string): Promise<string | null> {
  const target = relative(ROOT, join(dirname(join(ROOT, from)), specifier));
  if (target.startsWith('..')) return null;
  const ts = target.replace(/\.js$/, '.ts');
  for (const candidate of ts === target ? [target] : [ts, target]) {
    if (await isFile(join(ROOT, candidate))) return candidate;
  }
  return null;
}

/**
 * `roots` (but for AFTER_THE_CACHE) and every repository file they import at run time, however
 * deeply (repository-relative paths, sorted).
 */
export async function importClosure(roots: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const todo = roots.filter((f) => !AFTER_THE_CACHE.has(f));
  for (let file = todo.pop(); file !== undefined; file = todo.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (!/\.[cm]?[jt]s$/.test(file)) continue;
    const text = await readFile(join(ROOT, file), 'utf8');
    for (const m of text.matchAll(RELATIVE_IMPORT)) {
      const target = m[1] === undefined ? null : await resolveImport(file, m[1]);
      if (target && !seen.has(target)) todo.push(target);
    }
  }
  return [...seen].sort();
}

/** The hash of what a reading depends on (see above). */
export async function readingVersion(): Promise<string> {
  const hash = createHash('sha256');
  const ingest = (await filesUnder(join(ROOT, 'src', 'ingest'))).map((f) => relative(ROOT, f));
  for (const file of await importClosure(ingest)) {
    hash.update(file).update(await readFile(join(ROOT, file)));
  }
  const require = createRequire(join(ROOT, 'package.json'));
  const versionOf = (pkg: string): string => {
    try {
      return (require(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'absent'; // a dependency of a dependency installed out of reach
    }
  };
  for (const pkg of PACKAGES) hash.update(`${pkg}@${versionOf(pkg)}`);
  for (const name of ENVIRONMENT) hash.update(`${name}=${process.env[name] ?? ''}`);
  return hash.digest('hex').slice(0, 16);
}

/** An IngestCache in `dir` (eval/out/ocr-cache/<version> by default), counting what it served. */
export async function diskIngestCache(dir?: string): Promise<IngestCache & { hits: number; misses: number; dir: string }> {
  const folder = dir ?? join(ROOT, 'eval', 'out', 'ocr-cache', await readingVersion());
  await mkdir(folder, { recursive: true });
  const cache = {
    dir: folder,
    hits: 0,
    misses: 0,
    async get(key: string): Promise<IngestedDocument | null> {
      try {
        const doc = deserialize(await readFile(join(folder, `${key}.v8`))) as IngestedDocument;
        cache.hits++;
        return doc;
      } catch {
        cache.misses++;
        return null;
      }
    },
    async set(key: string, doc: IngestedDocument): Promise<void> {
      await writeFile(join(folder, `${key}.v8`), serialize(doc));
    },
  };
  return cache;
}
