/**
 * PDF text layer → pages of positioned tokens and ruling lines. The only file that imports pdfjs:
 * its objects are converted to our own types here (Token, Line, Rule) and never leak further.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IngestedDocument, Line, Page, Rule, Token } from './types.js';
import { IngestError } from './text.js';
import { OCR_DPI, rgbaToGray, type GrayImage } from './image.js';
import { loadCanvas, skipSystemFonts, withCanvas } from './canvas.js';
import { evaluateBundleFile, saveCodeCaches } from './bundle-eval.js';
import { pageReads } from './page-reads.js';
import { jpegFault } from './image-faults.js';
import { charWidth } from './width.js';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/**
 * pdfjs's legacy build (the one that runs on Node 20) bundles core-js, which on import replaces
 * Array.prototype.push and JSON.parse/stringify process-wide with spec-pedantic JS versions (for
 * engine quirks pdfjs does not depend on): every push in pdfjs, the pipeline and its libraries then
 * runs through a polyfill (a tenth of the time of a text-layer PDF). The natives, captured before
 * pdfjs is first imported, are put back after each pdfjs module is loaded. core-js's additions of
 * missing methods (Promise.withResolvers, Map.prototype.getOrInsertComputed, …) stay.
 */
const NATIVES = (['push'] as const).map((k) => [Array.prototype, k, Object.getOwnPropertyDescriptor(Array.prototype, k)!] as const);
const NATIVE_JSON = [
  [JSON, 'parse', Object.getOwnPropertyDescriptor(JSON, 'parse')!],
  [JSON, 'stringify', Object.getOwnPropertyDescriptor(JSON, 'stringify')!],
] as const;
function restoreNatives(): void {
  for (const [obj, key, desc] of [...NATIVES, ...NATIVE_JSON]) if (Object.getOwnPropertyDescriptor(obj, key)?.value !== desc.value) Object.defineProperty(obj, key, desc);
}
async function importKeepingNatives<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } finally {
    restoreNatives();
  }
}

let pdfjs: Promise<PdfJs> | null = null;
/**
 * Evaluated from its source with V8's code cache (bundle-eval.ts); else loaded with require() where
 * Node can require ES modules (≥ 20.19): the module loader, under tsx's hooks, takes twice the CPU.
 */
const loadPdfJs = (): Promise<PdfJs> =>
  (pdfjs ??= importKeepingNatives(async () => {
    skipSystemFonts(); // pdfjs loads @napi-rs/canvas as it is imported (see canvas.ts)
    const file = join(PDFJS_ROOT, 'legacy', 'build', 'pdf.mjs');
    try {
      const evaluated = evaluateBundleFile(file, 'pdf.mjs', { key: PDFJS_VERSION });
      if (evaluated) return evaluated as unknown as PdfJs;
    } catch {
      // Not compilable from a string here: the module loader below.
    }
    try {
      return createRequire(import.meta.url)('pdfjs-dist/legacy/build/pdf.mjs') as PdfJs;
    } catch {
      return import('pdfjs-dist/legacy/build/pdf.mjs');
    }
  }));

const PDFJS_ROOT = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const PDFJS_VERSION = (createRequire(import.meta.url)('pdfjs-dist/package.json') as { version: string }).version;

/**
 * What pdfjs loads by path, all shipped with it: cMaps (for non-embedded Adobe-GB1 fonts such as
 * STSong-Light), standard fonts, the WebAssembly decoders of scanned images (without them a JPEG 2000
 * page, common in scanners' PDFs, renders blank, and JBIG2 ones fail) and of ICC colour, and the CMYK
 * profile.
 */
const PDFJS_ASSETS = {
  cMapUrl: join(PDFJS_ROOT, 'cmaps') + '/',
  standardFontDataUrl: join(PDFJS_ROOT, 'standard_fonts') + '/',
  wasmUrl: join(PDFJS_ROOT, 'wasm') + '/',
  iccUrl: join(PDFJS_ROOT, 'iccs') + '/',
};

// ── The text-layer worker ──────────────────────────────────────────────────────────────────────
// Under Node pdfjs runs its "worker" in this thread. For reading text and ruling lines we run a
// copy of that worker module with four changes; the pages read (text items and rules) are the
// same as the stock worker's getTextContent + getOperatorList give, annotation appearances left out
// of both (checked byte for byte on samples/pdf, samples/holdout — Type3, TrueType, non-embedded
// CID, rotated — a page with an image, and rules drawn in a form XObject):
//  1. getTextContent also reports the page's painted paths, as items of type PATH_ITEM (the path in
//     DrawOPS form as pdfjs builds it for an operator list, its painting operator and the CTM), so a
//     page's content stream is parsed once: the operator list, a second full parse of every page
//     that only the ruling lines were read from, is not built at all.
//  2. Type3 glyph programs are not evaluated. pdfjs turns every glyph's content stream of a Type3
//     font into an operator list, which only rendering needs: text comes from the font's
//     ToUnicode/Encoding and widths from /Widths. The glyph programs do bear on text positions when
//     pdfjs switches a font to its glyphs' d1 boxes: when the FontBBox is empty (such fonts are
//     still loaded in full) or, in a broken font, when a glyph box is ten times the FontBBox (not
//     detected: that font's item heights would differ).
//  3. Flate streams are inflated synchronously by Node's zlib in one call, instead of a
//     DecompressionStream per stream (thousands of tiny glyph and content streams, each paying for a
//     web stream) or pdfjs's JavaScript inflater (a tenth the speed on font programs). A stream zlib
//     rejects (a bad checksum, corrupt data) goes to pdfjs's inflater from its start, as before;
//     truncated data gives what zlib can inflate of it.
//  4. A font switch (Tf) to a font this content stream has already loaded is made on the spot.
//     pdfjs leaves its text loop at every Tf and resumes it when the font's promise settles, even
//     when the font is cached: a browser's print (Skia) shows CJK text in Type3 fonts of 256
//     glyphs each and switches font every few glyphs, 500 times a page.
//  5. Text drawn invisibly (render mode 3, or 7: clip only) comes as items of its own, flagged
//     INVISIBLE_ITEM: the OCR layer a scanner or OCR program lays over a scanned page; and an image
//     XObject painted over a twentieth of the page or more (IMAGE_FLOOR; a smaller one, a checkbox or
//     a logo in a form XObject painted hundreds of times, would keep pdfjs from skipping the form as
//     empty when painted again) comes as an item of type IMAGE_ITEM with the CTM it is painted under.
// Pages rendered for OCR use the render worker below (a second, lazily opened document), so their
// glyphs are drawn. If the pinned pdfjs no longer contains the patched text, the stock worker is
// used and the rules are read from its operator list.
const PATH_ITEM = 'jixiaoPath';
const INVISIBLE_ITEM = 'jixiaoInvisible';
/** Text render modes that paint nothing: 3 (invisible) and 7 (add to the clip only). */
const INVISIBLE_MODES = new Set([3, 7]);
const IMAGE_ITEM = 'jixiaoImage';
/** The least share of the page an image must cover to be reported (and counted as part of a picture page). */
const IMAGE_FLOOR = 0.05;
const TEXT_WORKER_PATCHES: [from: string, to: string][] = [
  ['class FlateStream extends DecodeStream {\n  #isAsync = true;', 'class FlateStream extends DecodeStream {\n  #isAsync = false;'],
  [
    '  readBlock() {\n    let buffer, hdr, len;\n    const str = this.stream;',
    `  #jixiaoNativeTried = false;
  readBlock() {
    if (!this.#jixiaoNativeTried) {
      this.#jixiaoNativeTried = true;
      if (this.bufferLength === 0 && this.codeSize === 0) {
        const zlib = process.getBuiltinModule("zlib");
        this.stream.reset();
        try {
          const out = zlib.inflateSync(this.stream.getBytes(), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
          this.buffer = new Uint8Array(out.buffer, out.byteOffset, out.length);
          this.bufferLength = out.length;
          this.eof = true;
          return;
        } catch {
          this.stream.reset();
          this.stream.getByte();
          this.stream.getByte();
        }
      }
    }
    let buffer, hdr, len;
    const str = this.stream;`,
  ],
  [
    '    const textContentItem = {',
    '    const jixiaoPath = { pathBuffer: [], pathMinMax: new Float32Array([Infinity, Infinity, -Infinity, -Infinity]), currentPointX: 0, currentPointY: 0 };\n    const textContentItem = {',
  ],
  [
    '            return;\n          case OPS.beginMarkedContent:\n            flushTextContentItem();',
    `            return;
          case OPS.moveTo:
          case OPS.lineTo:
          case OPS.curveTo:
          case OPS.curveTo2:
          case OPS.curveTo3:
          case OPS.closePath:
          case OPS.rectangle:
            self.buildPath(fn, args, jixiaoPath);
            break;
          case OPS.stroke:
          case OPS.closeStroke:
          case OPS.fill:
          case OPS.eoFill:
          case OPS.fillStroke:
          case OPS.eoFillStroke:
          case OPS.closeFillStroke:
          case OPS.closeEOFillStroke:
          case OPS.endPath:
            if (fn === OPS.closeStroke || fn === OPS.closeFillStroke || fn === OPS.closeEOFillStroke) jixiaoPath.pathBuffer.push(DrawOPS.closePath);
            if (fn !== OPS.endPath && jixiaoPath.pathBuffer.length) textContent.items.push({ type: '${PATH_ITEM}', paint: fn, data: new Float32Array(jixiaoPath.pathBuffer), ctm: Array.from(textState.ctm) });
            jixiaoPath.pathBuffer.length = 0;
            break;
          case OPS.beginMarkedContent:
            flushTextContentItem();`,
  ],
  [
    '      if (translatedFont.isType3Font) {\n        try {\n          await translated.loadType3Data(this, resources, task);',
    '      if (translatedFont.isType3Font && !(Math.hypot(translatedFont.bbox[2] - translatedFont.bbox[0], translatedFont.bbox[3] - translatedFont.bbox[1]) > 0)) {\n        try {\n          await translated.loadType3Data(this, resources, task);',
  ],
  [
    `    async function handleSetFont(fontName, fontRef) {
      const translated = await self.loadFont(fontName, fontRef, resources, task);
      textState.loadedName = translated.loadedName;
      textState.font = translated.font;
      textState.fontMatrix = translated.font.fontMatrix || FONT_IDENTITY_MATRIX;
    }`,
    `    const jixiaoFonts = new Map();
    function jixiaoSetFont(translated) {
      textState.loadedName = translated.loadedName;
      textState.font = translated.font;
      textState.fontMatrix = translated.font.fontMatrix || FONT_IDENTITY_MATRIX;
    }
    async function handleSetFont(fontName, fontRef) {
      const translated = await self.loadFont(fontName, fontRef, resources, task);
      if (fontName && !fontRef) jixiaoFonts.set(fontName, translated);
      jixiaoSetFont(translated);
    }`,
  ],
  [
    '        switch (fn | 0) {\n          case OPS.setFont:\n            const fontNameArg = args[0].name,',
    `        switch (fn | 0) {\n          case OPS.setTextRenderingMode:\n            textState.jixiaoInvisible = ${[...INVISIBLE_MODES].map((m) => `args[0] === ${m}`).join(' || ')};\n            break;\n          case OPS.setFont:\n            const fontNameArg = args[0].name,`,
  ],
  [
    '        flushTextContentItem();\n        currentTextState = textState.clone();\n      }\n      const font = textState.font;',
    '        flushTextContentItem();\n        currentTextState = textState.clone();\n      }\n      if (textContentItem.initialized && jixiaoInvisible !== !!textState.jixiaoInvisible) {\n        flushTextContentItem();\n      }\n      jixiaoInvisible = !!textState.jixiaoInvisible;\n      const font = textState.font;',
  ],
  [
    '    function flushTextContentItem() {\n      if (!textContentItem.initialized || !textContentItem.str) {\n        return;\n      }',
    '    let jixiaoInvisible = false;\n    function flushTextContentItem() {\n      if (!textContentItem.initialized || !textContentItem.str) {\n        return;\n      }',
  ],
  [
    '      textContent.items.push(runBidiTransform(textContentItem));\n      textContentItem.initialized = false;',
    `      textContent.items.push(jixiaoInvisible ? { ...runBidiTransform(textContentItem), type: '${INVISIBLE_ITEM}' } : runBidiTransform(textContentItem));\n      textContentItem.initialized = false;`,
  ],
  [
    '              if (type.name !== "Form") {\n                emptyXObjectCache.set(name, dict.objId, true);',
    `              if (type.name !== "Form") {\n                const jixiaoCtm = stateManager.state.ctm;\n                if (type.name === "Image" && viewBox && Math.abs(jixiaoCtm[0] * jixiaoCtm[3] - jixiaoCtm[1] * jixiaoCtm[2]) >= ${IMAGE_FLOOR} * Math.abs((viewBox[2] - viewBox[0]) * (viewBox[3] - viewBox[1]))) textContent.items.push({ type: '${IMAGE_ITEM}', ctm: Array.from(jixiaoCtm) });\n                emptyXObjectCache.set(name, dict.objId, true);`,
  ],
  [
    '            next(handleSetFont(fontNameArg, null));\n            return;',
    '            if (jixiaoFonts.has(fontNameArg)) {\n              jixiaoSetFont(jixiaoFonts.get(fontNameArg));\n              break;\n            }\n            next(handleSetFont(fontNameArg, null));\n            return;',
  ],
];

// ── The render worker ──────────────────────────────────────────────────────────────────────────
// Pages rendered for OCR go through a copy of the stock worker with one change: a baseline JPEG
// (what scanners and img2pdf write) is decoded natively, by @napi-rs/canvas (libjpeg-turbo through
// Skia), where pdfjs would run its JavaScript decoder, a third of the time it took to turn a 150-dpi
// A4 scan into gray pixels at OCR_DPI. pdfjs has the hook for a browser's ImageDecoder, which Node
// lacks: the patched worker calls ours instead, on the JPEGs pdfjs itself deems fit for a native
// decoder (no CMYK, no untransformed YCC, no /Decode array) and, besides its RGB ones, on
// DeviceGray ones too. The image comes back as a bitmap that the canvas draws. On the sample scans
// the gray pixels differ from what pdfjs's decoder gives by one level at most, in one pixel of
// fifty (rounding in the inverse DCT); where two colors meet, whose halved chroma the two decoders
// upsample differently, by more. A JPEG the native decoder refuses goes to pdfjs's decoder.
const DECODE_JPEG = 'jixiao.decodeJpeg';

const RENDER_WORKER_PATCHES: [from: string, to: string][] = [
  [
    'return shadow(this, "canUseImageDecoder", this.#isImageDecoderSupported ? ImageDecoder.isTypeSupported("image/jpeg") : Promise.resolve(false));',
    `return shadow(this, "canUseImageDecoder", Promise.resolve(typeof globalThis[Symbol.for("${DECODE_JPEG}")] === "function"));`,
  ],
  [
    'decoder = new ImageDecoder({\n        data,\n        type: "image/jpeg",\n        preferAnimation: false\n      });\n      return (await decoder.decode()).image;',
    `return await globalThis[Symbol.for("${DECODE_JPEG}")](data);`,
  ],
  [
    '        } else {\n          switch (this.colorSpace.name) {\n            case "DeviceGray":\n              imageLength *= 3;',
    '        } else {\n          const image = this.colorSpace.name === "DeviceGray" && drawWidth === originalWidth && drawHeight === originalHeight ? await this.#getImage(originalWidth, originalHeight) : null;\n          if (image) {\n            return image;\n          }\n          switch (this.colorSpace.name) {\n            case "DeviceGray":\n              imageLength *= 3;',
  ],
];

let nativeJpegs = 0;

/** How many JPEGs this thread's render worker has had decoded natively (diagnostics and tests). */
export function nativeJpegDecodes(): number {
  return nativeJpegs;
}

/**
 * The render worker's JPEG decoder: the image as a bitmap the canvas draws. pdfjs closes a bitmap
 * when it is done with it; a canvas Image needs no closing (its pixels go with it to the GC).
 */
async function decodeJpeg(data: Uint8Array): Promise<object> {
  // A fault the native decoder would meet takes the process down (image-faults.ts): refused here,
  // the image goes to pdfjs's own decoder, which fails it cleanly (or reads what it can).
  const fault = jpegFault(data);
  if (fault) throw new Error(fault);
  const image = await (await loadCanvas()).loadImage(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  nativeJpegs++;
  return Object.assign(image, { close: (): void => undefined });
}

type Listener = (event: { data: unknown }) => void;

type Transfer = NonNullable<NonNullable<Parameters<typeof structuredClone>[1]>['transfer']>;

class NotPlainData extends Error {}
/** Thrown as it is, made once: a new Error would take a stack trace at each message that is not plain data. */
const NOT_PLAIN = new NotPlainData('not plain data');

/**
 * A copy of pdfjs's messages as structuredClone would make it, for the plain data they are made of
 * (arrays, plain objects, primitives, typed arrays): several times faster than structuredClone for
 * thousands of small objects. A transferred buffer is handed over, as a transfer does (the sender
 * gives it up). Anything else (Map, class instance, cycle, …) throws NotPlainData, and the message
 * goes through structuredClone.
 */
function plainCopy(value: unknown, transfer: ReadonlySet<unknown>, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw NOT_PLAIN;
    return value;
  }
  if (depth > 64) throw NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_PLAIN;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) if (i in value) out[i] = plainCopy(value[i], transfer, depth + 1);
    return out;
  }
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView) throw NOT_PLAIN;
    if (transfer.has(value.buffer)) return value;
    if (!(value.buffer instanceof ArrayBuffer)) throw NOT_PLAIN;
    // Like structuredClone: the whole buffer is copied and the view keeps its offset.
    const View = value.constructor as new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
    return new View(value.buffer.slice(0), value.byteOffset, (value as Uint8Array).length);
  }
  if (transfer.has(value)) return value; // a transferred bitmap (render worker), handed over as it is
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plainCopy((value as Record<string, unknown>)[key], transfer, depth + 1);
  return out;
}

/**
 * A chunk of a page's text content, streamed from the worker: `{ items, styles, lang }` whose items
 * and styles are objects the worker made for this chunk and never touches again once sent (it
 * starts a new `items` array and `styles` object for the next chunk).
 */
function isTextContentChunk(obj: unknown): obj is { chunk: { items: unknown[]; styles: object } } {
  const chunk = (obj as { chunk?: { items?: unknown; styles?: unknown } } | null)?.chunk;
  return typeof chunk === 'object' && chunk !== null && Array.isArray(chunk.items) && typeof chunk.styles === 'object';
}

function cloneMessage(obj: unknown, transfer: Transfer | undefined): unknown {
  // The worker reassigns the chunk's fields after sending it, so the chunk object is copied; its
  // contents are handed over as they are (a deep copy of thousands of text items cost a twelfth of a page's time).
  if (isTextContentChunk(obj)) return { ...obj, chunk: { ...obj.chunk } };
  try {
    return plainCopy(obj, new Set<unknown>(transfer ?? []));
  } catch (e) {
    if (!(e instanceof NotPlainData) && !(e instanceof RangeError)) throw e;
    return structuredClone(obj, transfer ? { transfer } : undefined);
  }
}

/** pdfjs's LoopbackPort (not exported): both ends of a same-thread worker, messages cloned as a worker's would be. */
class LoopbackPort {
  readonly #listeners = new Map<Listener, (() => void) | null>();
  readonly #deferred = Promise.resolve();
  postMessage(obj: unknown, transfer?: Transfer): void {
    const event = { data: cloneMessage(obj, transfer) };
    void this.#deferred.then(() => {
      for (const [listener] of this.#listeners) listener.call(this, event);
    });
  }
  addEventListener(_name: string, listener: Listener, options?: { signal?: AbortSignal } | null): void {
    let rmAbort: (() => void) | null = null;
    const signal = options?.signal;
    if (signal) {
      if (signal.aborted) return;
      const onAbort = (): void => this.removeEventListener(_name, listener);
      rmAbort = () => signal.removeEventListener('abort', onAbort);
      signal.addEventListener('abort', onAbort);
    }
    this.#listeners.set(listener, rmAbort);
  }
  removeEventListener(_name: string, listener: Listener): void {
    this.#listeners.get(listener)?.();
    this.#listeners.delete(listener);
  }
  terminate(): void {
    for (const [, rmAbort] of this.#listeners) rmAbort?.();
    this.#listeners.clear();
  }
}

interface WorkerModule {
  WorkerMessageHandler: { initializeFromPort: (port: LoopbackPort) => void };
}

type PdfWorker = InstanceType<PdfJs['PDFWorker']>;
type WorkerPort = NonNullable<NonNullable<ConstructorParameters<PdfJs['PDFWorker']>[0]>['port']>;

/** A same-thread pdfjs worker running the given worker module, on our own port. */
async function startWorker(lib: PdfJs, mod: WorkerModule): Promise<PdfWorker> {
  const port = new LoopbackPort();
  mod.WorkerMessageHandler.initializeFromPort(port);
  const worker = new lib.PDFWorker({ port: port as unknown as WorkerPort, verbosity: 0 });
  await worker.promise;
  return worker;
}

/** The patched worker module, or null when the pinned pdfjs no longer contains the patched text. */
const WORKER_FILE = join(PDFJS_ROOT, 'legacy', 'build', 'pdf.worker.mjs');

/**
 * pdfjs's worker module, with the given patches (none: the stock worker), evaluated as a function
 * body with V8's code cache (bundle-eval.ts): loading it through the module loader costs ten times
 * as much under tsx (its loader hooks and source maps, 0.7 s CPU per lane or process).
 * Null when a patch's text is not found exactly once; the module loader when code cannot be compiled
 * from strings here.
 */
async function workerModule(variant: 'stock' | 'text' | 'render', patches: readonly (readonly [string, string])[] = []): Promise<WorkerModule | null> {
  const transform = patches.length ? (src: string): string | null => applyPatches(src, patches) : undefined;
  return importKeepingNatives(async () => {
    try {
      // The key names what the prepared body depends on besides the file (a change to what
      // applyPatches does needs PREPARED_FORM in bundle-eval.ts bumped).
      const evaluated = evaluateBundleFile(WORKER_FILE, `pdf.worker.mjs-${variant}`, { key: PDFJS_VERSION + JSON.stringify(patches), transform });
      if (evaluated) return evaluated as unknown as WorkerModule;
    } catch {
      // Not compilable from a string here: the module loader below.
    }
    return patches.length ? null : (import(pathToFileURL(WORKER_FILE).href) as Promise<WorkerModule>);
  });
}

/** `src` with each patch's text replaced, or null when a patch's text is not found exactly once. */
function applyPatches(src: string, patches: readonly (readonly [string, string])[]): string | null {
  for (const [from, to] of patches) {
    const at = src.indexOf(from);
    if (at < 0 || src.indexOf(from, at + 1) >= 0) return null;
    src = src.slice(0, at) + to + src.slice(at + from.length);
  }
  return src;
}

/** True when every text-worker patch applies to the installed pdfjs (a test guards an upgrade that loses the speed). */
export async function textWorkerPatchesApply(): Promise<boolean> {
  return (await workerModule('text', TEXT_WORKER_PATCHES).catch(() => null)) !== null;
}

/** The same for the render worker's patches. */
export async function renderWorkerPatchesApply(): Promise<boolean> {
  return (await workerModule('render', RENDER_WORKER_PATCHES).catch(() => null)) !== null;
}

// One of each per thread, shared by the thread's documents.
let renderWorker: Promise<PdfWorker> | null = null;
let textWorker: Promise<{ worker: PdfWorker; patched: boolean }> | null = null;

/** Stock pdfjs workers only (no patch), for comparisons. */
const stockWorkers = (): boolean => process.env.JIXIAO_PDFJS_STOCK_WORKER === '1';

/** The render worker (see above), else the stock one: renders pages for OCR. */
function loadRenderWorker(lib: PdfJs): Promise<PdfWorker> {
  return (renderWorker ??= (stockWorkers() ? Promise.resolve(null) : workerModule('render', RENDER_WORKER_PATCHES).catch(() => null)).then(async (mod) => {
    if (mod) (globalThis as Record<symbol, unknown>)[Symbol.for(DECODE_JPEG)] = decodeJpeg;
    return startWorker(lib, mod ?? (await workerModule('stock'))!);
  }));
}

/** The patched worker (patched: its text content carries the page's paths), else the stock one. */
function loadTextWorker(lib: PdfJs): Promise<{ worker: PdfWorker; patched: boolean }> {
  return (textWorker ??= (stockWorkers() ? Promise.resolve(null) : workerModule('text', TEXT_WORKER_PATCHES))
    .catch(() => null)
    .then(async (mod) => (mod ? { worker: await startWorker(lib, mod), patched: true } : { worker: await loadRenderWorker(lib), patched: false })));
}

export interface PdfOptions {
  password?: string;
  /** Reads a page without a usable text layer from its rendered gray image (the OCR route). */
  ocr?: (img: GrayImage, pageNo: number, dpi: number) => Promise<Page>;
  /** Render resolution for OCR, dots per inch. */
  ocrDpi?: number;
  /** Pages beyond this are not read (a guard against huge files). */
  maxPages?: number;
  /**
   * The bytes are handed over: the caller does not use them afterwards. pdfjs reads a document in
   * place and may rewrite parts of it (CFF hints, unfiltered images decoded in place), so bytes not
   * handed over are copied first.
   */
  ownBytes?: boolean;
}

interface RawItem {
  str: string;
  x: number;
  y: number; // top of the glyph box, top-left origin
  w: number;
  h: number;
  /** A part of an item cut from the part before it (splitJoinedCells): another cell's text, never merged with it. */
  apart?: true;
}

type Matrix = [number, number, number, number, number, number];
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function apply(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

/** A painted path: pdfjs DrawOPS data in user space, its painting operator and the CTM it was drawn under. */
interface PaintedPath {
  paint: number;
  data: ArrayLike<number>;
  ctm: Matrix;
}

/**
 * Table rules from the page's painted paths: stroked lines and thin filled rectangles,
 * in page space with a top-left origin.
 */
function rulesFrom(paths: readonly PaintedPath[], OPS: PdfJs['OPS'], viewport: Matrix): Rule[] {
  const rules: Rule[] = [];
  for (const { paint, data, ctm } of paths) {
    if (paint !== OPS.stroke && paint !== OPS.closeStroke && paint !== OPS.fill && paint !== OPS.eoFill && paint !== OPS.fillStroke) continue;
    const m = multiply(viewport, ctm);
    const filled = paint === OPS.fill || paint === OPS.eoFill || paint === OPS.fillStroke;
    segmentsOf(data, filled, (x1, y1, x2, y2) => {
      const [ax, ay] = apply(m, x1, y1);
      const [bx, by] = apply(m, x2, y2);
      if (Math.abs(ay - by) < 1.5 && Math.abs(ax - bx) > 3) rules.push({ x1: Math.min(ax, bx), y1: (ay + by) / 2, x2: Math.max(ax, bx), y2: (ay + by) / 2 });
      else if (Math.abs(ax - bx) < 1.5 && Math.abs(ay - by) > 3) rules.push({ x1: (ax + bx) / 2, y1: Math.min(ay, by), x2: (ax + bx) / 2, y2: Math.max(ay, by) });
    });
  }
  return rules;
}

/**
 * What the patched text worker reports beside the text, from a stock pdfjs operator list (when that
 * worker is unavailable): the painted paths, into `paths`, and the text shown, visible or not.
 * Annotation appearances (form-field borders …) are left out, as the page's text content leaves them out.
 */
function readOperatorList(ops: { fnArray: number[]; argsArray: unknown[] }, OPS: PdfJs['OPS'], paths: PaintedPath[]): LayerFacts {
  const stack: { ctm: Matrix; mode: number }[] = [];
  let ctm: Matrix = IDENTITY;
  let mode = 0; // the text render mode
  const shown: LayerFacts = { printed: 0, invisible: 0, images: [] };
  // Each image once, where first painted, as the patched worker reports them.
  const painted = new Set<unknown>();
  let inAnnotation = 0;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[];
    if (fn === OPS.beginAnnotation) inAnnotation++;
    else if (fn === OPS.endAnnotation) inAnnotation = Math.max(0, inAnnotation - 1);
    else if (inAnnotation > 0) continue;
    else if (fn === OPS.save) stack.push({ ctm, mode });
    else if (fn === OPS.restore || fn === OPS.paintFormXObjectEnd) ({ ctm, mode } = stack.pop() ?? { ctm: IDENTITY, mode: 0 });
    else if (fn === OPS.paintFormXObjectBegin) {
      // A form XObject draws under its /Matrix.
      stack.push({ ctm, mode });
      const matrix = args[0] as Matrix | null;
      if (matrix) ctm = multiply(ctm, matrix);
    }
    else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
    else if (fn === OPS.constructPath) {
      const data = (args[1] as ArrayLike<number>[] | undefined)?.[0];
      if (data) paths.push({ paint: args[0] as number, data, ctm });
    }
    else if (fn === OPS.setTextRenderingMode) mode = args[0] as number;
    else if ((fn === OPS.paintImageXObject || fn === OPS.paintImageMaskXObject) && !painted.has(args[0])) {
      painted.add(args[0]);
      shown.images.push(ctm);
    }
    else if (fn === OPS.showText) {
      const glyphs = (args[0] as unknown[]).filter((g): g is { unicode: string } => typeof (g as { unicode?: unknown } | null)?.unicode === 'string');
      const n = printedLength(glyphs.map((g) => g.unicode).join(''));
      shown.printed += n;
      if (INVISIBLE_MODES.has(mode)) shown.invisible += n;
    }
  }
  return shown;
}

/**
 * What tells a scanned page from a page of text: how many characters its text shows (whitespace
 * aside), how many of them invisibly, and the CTMs its images are painted under (each the unit square).
 */
interface LayerFacts {
  printed: number;
  invisible: number;
  images: Matrix[];
}

const printedLength = (text: string): number => text.replace(/\s/gu, '').length;

/** Under this many printed characters, a page that is a picture is a scan (no form's page of text prints so few). */
const STAMPED_TEXT = 100;
/** The share of the page its images (each over IMAGE_FLOOR) must cover together for the page to be a picture. */
const PICTURE_COVER = 0.5;

/**
 * The share of the page its images cover (each of IMAGE_FLOOR or more, clipped to the page; a scan
 * may come in bands). `vt` maps the page's user space to its viewport at scale 1.
 */
function pictureCover(images: readonly Matrix[], vt: Matrix, width: number, height: number): number {
  if (width <= 0 || height <= 0) return 0;
  const shares = images.map((ctm) => {
    const m = multiply(vt, ctm);
    const corners = [apply(m, 0, 0), apply(m, 1, 0), apply(m, 0, 1), apply(m, 1, 1)];
    const [xs, ys] = [corners.map((c) => c[0]), corners.map((c) => c[1])];
    const across = Math.min(width, Math.max(...xs)) - Math.max(0, Math.min(...xs));
    const down = Math.min(height, Math.max(...ys)) - Math.max(0, Math.min(...ys));
    return across > 0 && down > 0 ? (across * down) / (width * height) : 0;
  });
  return shares.filter((share) => share >= IMAGE_FLOOR).reduce((a, b) => a + b, 0);
}

/**
 * True when a page is a picture (its images cover half of it) under text that is not the page's own:
 * - mostly drawn invisibly: the OCR layer a scanner or an OCR program (a "searchable PDF") lays over
 *   a scanned page. That text is the other program's reading, of unknown quality, with no
 *   confidence, and often run across a table's cells. (Invisible text over no picture, as over
 *   glyphs drawn as outlines, is the page's own text and stays.)
 * - or a few characters (under STAMPED_TEXT) stamped on it: a page number, a file number or a
 *   website's watermark added by the software that assembled the PDF; before, the scanned form
 *   under it was lost.
 * Such a page is read by our OCR, as a scan is (the render shows the scan, not an invisible layer).
 */
function scannedPicture({ printed, invisible, images }: LayerFacts, vt: Matrix, width: number, height: number): boolean {
  const layer = invisible > 0 && invisible * 2 > printed;
  return (layer || printed < STAMPED_TEXT) && pictureCover(images, vt, width, height) >= PICTURE_COVER;
}

/** A text item the patched text worker flags as drawn invisibly. */
function isInvisibleItem(item: object): boolean {
  return (item as { type?: unknown }).type === INVISIBLE_ITEM;
}

/** An image the patched text worker reports painted. */
function isImageItem(item: object): item is { type: typeof IMAGE_ITEM; ctm: Matrix } {
  return (item as { type?: unknown }).type === IMAGE_ITEM;
}

/** A path item the patched text worker adds to a page's text content. */
function isPathItem(item: object): item is PaintedPath & { type: typeof PATH_ITEM } {
  return (item as { type?: unknown }).type === PATH_ITEM;
}

/** Walks pdfjs DrawOPS path data (moveTo 0, lineTo 1, curveTo 2, quadraticCurveTo 3, closePath 4). */
function segmentsOf(d: ArrayLike<number>, filled: boolean, emit: (x1: number, y1: number, x2: number, y2: number) => void): void {
  let i = 0;
  let sx = 0, sy = 0, cx = 0, cy = 0;
  const poly: [number, number][] = [];
  const flushRect = (): void => {
    if (!filled || poly.length < 4) return;
    const xs = poly.map((p) => p[0]);
    const ys = poly.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    // A thin filled rectangle is a rule along its long side.
    if (y1 - y0 < 2.5 && x1 - x0 > 3) emit(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
    else if (x1 - x0 < 2.5 && y1 - y0 > 3) emit((x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
    else {
      // A filled cell background: its edges bound cells too.
      emit(x0, y0, x1, y0);
      emit(x0, y1, x1, y1);
      emit(x0, y0, x0, y1);
      emit(x1, y0, x1, y1);
    }
  };
  while (i < d.length) {
    const op = d[i++];
    if (op === 0) {
      flushRect();
      poly.length = 0;
      sx = cx = d[i++]!;
      sy = cy = d[i++]!;
      poly.push([cx, cy]);
    } else if (op === 1) {
      const x = d[i++]!, y = d[i++]!;
      if (!filled) emit(cx, cy, x, y);
      cx = x;
      cy = y;
      poly.push([cx, cy]);
    } else if (op === 2) {
      i += 4;
      cx = d[i++]!;
      cy = d[i++]!;
    } else if (op === 3) {
      i += 2;
      cx = d[i++]!;
      cy = d[i++]!;
    } else if (op === 4) {
      if (!filled) emit(cx, cy, sx, sy);
      cx = sx;
      cy = sy;
    } else break;
  }
  flushRect();
}

/**
 * Fonts often map ideographs to Kangxi radicals or CJK compatibility forms (⽬ U+2F6C for 目);
 * those are rendering artefacts, folded back to the unified ideographs. Other text is kept as printed.
 */
const RADICAL_SUPPLEMENT: Record<string, string> = {
  '⻔': '门', '⻛': '风', '⻓': '长', '⻢': '马', '⻚': '页', '⻋': '车', '⻥': '鱼', '⻄': '西', '⻅': '见',
  '⻉': '贝', '⻆': '角', '⻘': '青', '⻝': '食', '⻜': '飞', '⻰': '龙', '⻬': '齐', '⻩': '黄',
  '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻮': '齿', '⻤': '鬼', '⻣': '骨', '⻁': '虎', '⺠': '民',
  '⺟': '母', '⺫': '罒', '⻊': '足', '⻈': '讠', '⻗': '雨', '⻙': '韦', '⻖': '阝', '⺮': '竹', '⺶': '羊',
  戶: '户',
};

export function foldCompatibilityIdeographs(s: string): string {
  return s.replace(/[\u2e80-\u2fdf\uf900-\ufaff]/g, (c) => {
    const folded = RADICAL_SUPPLEMENT[c] ?? c.normalize('NFKC');
    // ⼾ (KANGXI RADICAL DOOR) is drawn as 户 but folds to the traditional 戶.
    return RADICAL_SUPPLEMENT[folded] ?? folded;
  });
}

/** CJK punctuation and full-width forms: a Chinese page's marks, not another script's letters. */
const CJK_MARKS = /[\u3000-\u303f\uff00-\uffef]/u;

/** Below this many printed characters a page's text layer is not judged (a page number, a stamp). */
const MIN_JUDGED_CHARS = 20;

/**
 * True when a page's text layer gives glyph codes instead of characters, as a font without a usable
 * ToUnicode map does: control characters or U+FFFD (a tenth of the printed characters), private-use
 * code points (three tenths: a form's checkbox glyphs, ☑是 ☐否 in every row, stay below), or, on a
 * page with almost no CJK (under 5 %), characters of other scripts (three tenths): Latin-1 letters
 * and symbols through a simple font's WinAnsi encoding, or a CID font's glyph ids taken for code
 * points (Latin Extended, Greek, Cyrillic … for the ids of a subset font's few hundred glyphs). Such
 * a page is read by OCR, as a scan is; its text layer would otherwise yield no form. Glyph codes that
 * happen to fall among the CJK ideographs are not recognised here.
 */
export function garbledText(text: string): boolean {
  let total = 0;
  let codes = 0;
  let privateUse = 0;
  let foreign = 0;
  let cjk = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    const c = ch.codePointAt(0)!;
    total++;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c === 0xfffd) codes++;
    else if ((c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000) privateUse++;
    else if (/\p{Script=Han}/u.test(ch)) cjk++;
    else if (c >= 0xa0 && !CJK_MARKS.test(ch)) foreign++;
  }
  if (total < MIN_JUDGED_CHARS) return false;
  return codes / total >= 0.1 || privateUse / total >= 0.3 || (cjk / total < 0.05 && (codes + privateUse + foreign) / total >= 0.3);
}

/** A vertical rule crossing a band of the page (top y, height h) strictly between x0 and x1. */
const crossesBand = (r: Rule, x0: number, x1: number, y: number, h: number): boolean => r.x1 === r.x2 && r.x1 > x0 && r.x1 < x1 && r.y1 <= y + h / 2 && r.y2 >= y + h / 2;

/** The vertical rules that cross a band of the page strictly between x0 and x1 (crossesBand). */
const rulesBetween = (rules: readonly Rule[], x0: number, x1: number, y: number, h: number): Rule[] => rules.filter((r) => crossesBand(r, x0, x1, y, h));

/** Whether a vertical rule crosses a band of the page strictly between x0 and x1 (crossesBand). */
const ruleBetween = (rules: readonly Rule[], x0: number, x1: number, y: number, h: number): boolean => rules.some((r) => crossesBand(r, x0, x1, y, h));

/** Least white (in points) an item's end leaves before a rule that cuts it: a cell's padding, not a glyph's side. */
const RULE_INSET = 1;

/** A glyph's advance in ems, estimated: ASCII digits and letters half an em, .,:; a quarter, CJK one. */
const glyphEm = (ch: string): number => (/[.,:;'!|]/.test(ch) ? 0.25 : charWidth(ch));

/** A word of a figure cell: 446,048.00, 97.50, =100%, ≥95%, or the - of an empty figure. */
const FIGURE_WORD = /^(?:[=＝<>≤≥＜＞]*[-+]?\d[\d,]*(?:\.\d+)?%?|-)$/u;

/** How far (in glyph heights) from a rule through an item the space it is cut at may be estimated. */
const SPLIT_REACH = 1.5;

/**
 * The least white (in ems, estimated) between two figure words that parts two cells: a space a
 * font sets is a quarter to a third of an em; two cells' figures pdfjs joined stand 0.7–1.2 em apart.
 */
const CELLS_APART_EM = 0.5;

/** A run of white inside an item: its characters [from, to), its middle (points) and its width (ems). */
interface ItemSpace {
  from: number;
  to: number;
  x: number;
  em: number;
  between: [string, string];
}

/**
 * The runs of white between an item's printed words, placed by its glyphs' estimated advances
 * (glyphEm), the rest of the item's width shared evenly by its white characters (at least a
 * quarter em each); with each character's left end, in points (one more: the item's right end).
 */
function itemSpaces(it: RawItem): { chars: string[]; left: number[]; spaces: ItemSpace[] } {
  const chars = Array.from(it.str);
  const isWhite = (ch: string): boolean => /\s/u.test(ch);
  const white = chars.filter(isWhite).length;
  const printedEm = chars.reduce((sum, ch) => sum + (isWhite(ch) ? 0 : glyphEm(ch)), 0);
  const whiteEm = Math.max(0.25, (it.w / it.h - printedEm) / white);
  const em = it.w / (printedEm + whiteEm * white);
  const left: number[] = [];
  let at = it.x;
  for (const ch of chars) {
    left.push(at);
    at += (isWhite(ch) ? whiteEm : glyphEm(ch)) * em;
  }
  left.push(it.x + it.w);
  const spaces: ItemSpace[] = [];
  for (const m of it.str.matchAll(/\s+/gu)) {
    const from = Array.from(it.str.slice(0, m.index)).length;
    const to = from + Array.from(m[0]).length;
    if (from === 0 || to === chars.length) continue;
    const before = it.str.slice(0, m.index).split(/\s+/u).at(-1)!;
    const after = it.str.slice(m.index + m[0].length).split(/\s+/u)[0]!;
    spaces.push({ from, to, x: (left[from]! + left[to]!) / 2, em: (to - from) * whiteEm, between: [before, after] });
  }
  return { chars, left, spaces };
}

/**
 * Items pdfjs joined across two cells, cut apart. pdfjs joins the text runs of a baseline into one
 * item where the white between them is under 1.5 em, and reads that white as a space; so two
 * cells' texts printed close come as one item:
 *  - across a table's vertical rule: a LibreOffice 总分 row's 分值 and 得分, `100.00 94.94`, three
 *    points either side of the rule between them. Each rule that runs through an item cuts it at
 *    the space nearest the rule; a rule with no space within SPLIT_REACH glyph heights cuts nothing;
 *  - figures side by side in a table without rules, one cell's from the next's
 *    (`446,048.00 446,048.00 446,048.00 10.00` under 年初预算数 | 全年预算数 | 全年执行数 | 分值 in
 *    narrow columns): cut where two figure words (FIGURE_WORD) stand wider apart than a space
 *    (CELLS_APART_EM), and not inside a ruled cell (a rule either side of the item), whose text
 *    is one cell's whatever it holds (2021 2022, 1 - 2).
 * The parts after a cut are `apart`: never merged again into one token (linesFromItems).
 */
export function splitJoinedCells(items: readonly RawItem[], rules: readonly Rule[]): RawItem[] {
  return items.flatMap((it) => {
    if (!/\S\s+\S/u.test(it.str)) return [it];
    const cuts = rulesBetween(rules, it.x + RULE_INSET, it.x + it.w - RULE_INSET, it.y, it.h);
    const figures = it.str.trim().split(/\s+/u).filter((w) => FIGURE_WORD.test(w)).length >= 2;
    if (!cuts.length && !figures) return [it];
    const { chars, left, spaces } = itemSpaces(it);
    const ruledCell = ruleBetween(rules, -Infinity, it.x, it.y, it.h) && ruleBetween(rules, it.x + it.w, Infinity, it.y, it.h);
    const chosen = new Set(ruledCell ? [] : spaces.filter((sp) => sp.em >= CELLS_APART_EM && sp.between.every((w) => FIGURE_WORD.test(w))));
    for (const r of cuts) {
      const near = [...spaces].sort((a, b) => Math.abs(a.x - r.x1) - Math.abs(b.x - r.x1))[0];
      if (near && Math.abs(near.x - r.x1) <= SPLIT_REACH * it.h) chosen.add(near);
    }
    if (!chosen.size) return [it];
    const parts: RawItem[] = [];
    let from = 0;
    for (const sp of [...chosen].sort((a, b) => a.from - b.from)) {
      parts.push({ ...it, str: chars.slice(from, sp.from).join(''), x: left[from]!, w: left[sp.from]! - left[from]!, ...(from ? { apart: true as const } : {}) });
      from = sp.to;
    }
    parts.push({ ...it, str: chars.slice(from).join(''), x: left[from]!, w: it.x + it.w - left[from]!, apart: true });
    return parts;
  });
}

/**
 * Items on one baseline become a line; items close together merge into one token, unless a
 * vertical rule stands between them (two cells' texts, each beside the rule) or the second was cut
 * from the first (`apart`).
 */
export function linesFromItems(items: RawItem[], page: number, rules: readonly Rule[] = []): Line[] {
  const sorted = [...items].sort((a, b) => a.y - b.y || a.x - b.x);
  const rows: RawItem[][] = [];
  for (const it of sorted) {
    const row = rows.at(-1);
    const ref = row?.[0];
    if (row && ref && Math.abs(it.y + it.h / 2 - (ref.y + ref.h / 2)) < Math.min(it.h, ref.h) * 0.5) row.push(it);
    else rows.push([it]);
  }
  return rows.map((row, idx) => {
    row.sort((a, b) => a.x - b.x);
    const tokens: Token[] = [];
    for (const it of row) {
      const prev = tokens.at(-1);
      const gap = prev?.box ? it.x - (prev.box.x + prev.box.w) : Infinity;
      if (prev?.box && !it.apart && gap < it.h * 0.3 && !ruleBetween(rules, prev.box.x + prev.box.w - RULE_INSET, it.x + RULE_INSET, it.y, it.h)) {
        prev.text += it.str;
        prev.box.w = it.x + it.w - prev.box.x;
        prev.box.h = Math.max(prev.box.h, it.h);
        prev.width = prev.box.w / it.h;
      } else {
        tokens.push({ text: it.str, x: it.x / it.h, width: it.w / it.h, box: { x: it.x, y: it.y, w: it.w, h: it.h } });
      }
    }
    return { page, lineNo: idx + 1, tokens, text: tokens.map((t) => t.text).join(' '), cells: false, gapBefore: 0 };
  });
}

/** Pages of a PDF (for tools such as the bench; opening the document reads no page). */
export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({ data: new Uint8Array(bytes), worker: (await loadTextWorker(lib)).worker, isEvalSupported: false, verbosity: 0 });
  try {
    return (await task.promise).numPages;
  } finally {
    await task.destroy();
  }
}

export async function ingestPdf(file: string, bytes: Uint8Array, opts: PdfOptions = {}): Promise<IngestedDocument> {
  const lib = await loadPdfJs();
  restoreNatives(); // in case another copy of pdfjs was imported meanwhile (import() and require() load separate instances)
  const { worker, patched } = await loadTextWorker(lib);
  // Bytes handed over are given as a plain view (pdfjs refuses a Buffer), not copied: copying a
  // fresh megabyte costs milliseconds of page faults. Our same-thread ports hand the data over
  // without detaching it. The render document, opened only for pages read by OCR, has its own copy.
  const data = opts.ownBytes ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  const open = (withWorker: PdfWorker, data: Uint8Array): ReturnType<PdfJs['getDocument']> =>
    lib.getDocument({
      data,
      password: opts.password,
      ...PDFJS_ASSETS,
      cMapPacked: true,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      worker: withWorker,
    });
  const task = open(worker, data);
  let doc;
  try {
    doc = await task.promise;
  } catch (e) {
    await task.destroy().catch(() => undefined);
    const name = (e as { name?: string }).name;
    if (name === 'PasswordException') {
      // pdfjs's PasswordResponses: 1 NEED_PASSWORD, 2 INCORRECT_PASSWORD.
      const wrong = (e as { code?: number }).code === 2;
      throw new IngestError(file, wrong ? 'encrypted PDF: the password given does not open it' : 'encrypted PDF: a password is required to open it (--password)');
    }
    if (name === 'InvalidPDFException') throw new IngestError(file, 'not a valid PDF (corrupt or truncated file)');
    throw new IngestError(file, `PDF could not be opened: ${(e as Error).message ?? String(e)}`);
  }
  // Pages without a text layer are rendered from the document opened on the stock worker (see above).
  let renderTask: ReturnType<PdfJs['getDocument']> | null = null;
  const renderDoc = async (): Promise<typeof doc> => {
    const stock = await loadRenderWorker(lib);
    if (stock === worker) return doc;
    renderTask ??= open(stock, new Uint8Array(bytes));
    return renderTask.promise;
  };
  try {
    if (doc.numPages === 0) throw new IngestError(file, 'the PDF has no pages');
    const pages: Page[] = [];
    const reads = pageReads(pages);
    const last = Math.min(doc.numPages, opts.maxPages ?? 2000);
    for (let n = 1; n <= last; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const vt = viewport.transform as Matrix;
      const content = await page.getTextContent();
      const items: RawItem[] = [];
      const paths: PaintedPath[] = [];
      let invisible = 0;
      const images: Matrix[] = [];
      for (const it of content.items) {
        if (isPathItem(it)) paths.push(it);
        else if (isImageItem(it)) images.push(it.ctm);
        else if (!('str' in it) || !it.str.trim()) continue; // pdfjs inserts whitespace-only filler items
        else {
          if (isInvisibleItem(it)) invisible += printedLength(it.str);
          const m = multiply(vt, it.transform as Matrix);
          const h = Math.hypot(m[2], m[3]) || it.height || 1;
          items.push({ str: foldCompatibilityIdeographs(it.str), x: m[4], y: m[5] - h, w: it.width, h });
        }
      }
      const text = items.map((it) => it.str).join('');
      // The stock worker flags no invisible text and reports no paths or images: they are read from its operator list.
      const layer = patched ? { printed: printedLength(text), invisible, images } : readOperatorList(await page.getOperatorList(), lib.OPS, paths);
      if (opts.ocr && (!/\S/.test(text) || garbledText(text) || scannedPicture(layer, vt, viewport.width, viewport.height))) {
        page.cleanup();
        // No usable text layer (none, glyph codes, another program's OCR layer, a stamp on a picture): a scan.
        // Render gray pixels and read them.
        const rpage = await (await renderDoc()).getPage(n);
        // Cap the bitmap (a 200-inch page must not allocate gigabytes): at most ~40 Mpx.
        const scale = Math.min((opts.ocrDpi ?? Number(process.env.JIXIAO_OCR_DPI ?? OCR_DPI)) / 72, Math.sqrt(40e6 / (viewport.width * viewport.height)));
        const vp = rpage.getViewport({ scale });
        const [w, h] = [Math.ceil(vp.width), Math.ceil(vp.height)];
        const gray = await withCanvas(w, h, async (canvas) => {
          const ctx = canvas.getContext('2d'); // pdfjs fills it white before drawing: opaque pixels
          ctx.setTransform(1, 0, 0, 1, 0, 0); // a canvas used before starts from no transform
          type RenderParams = Parameters<typeof rpage.render>[0];
          await rpage.render({ canvasContext: ctx, canvas, viewport: vp } as unknown as RenderParams).promise;
          // The canvas's own pixels, not a getImageData copy: RGBA, premultiplied (so opaque only because pdfjs
          // fills the page white first) and a live view of the canvas, so turned to gray before it is given back.
          return rgbaToGray(canvas.data(), w, h);
        });
        rpage.cleanup();
        // OCR runs on a worker pool: the next pages are rendered while this one is read (page-reads.ts).
        const at = pages.push({ number: n, lines: [] }) - 1;
        await reads.add(at, opts.ocr(gray, n, scale * 72));
        continue;
      }
      const rules = rulesFrom(paths, lib.OPS, vt);
      // Only vertical rules part items, looked for at every merge of two items: the page's are taken once.
      const vertical = rules.filter((r) => r.x1 === r.x2);
      pages.push({ number: n, lines: linesFromItems(splitJoinedCells(items, vertical), n, vertical), rules, width: viewport.width, height: viewport.height });
      page.cleanup();
    }
    await reads.done();
    return { file, source: 'pdf', format: 'plain', pages };
  } finally {
    await doc.destroy();
    await (renderTask as ReturnType<PdfJs['getDocument']> | null)?.destroy();
    saveCodeCaches(); // after the first document, with the code it ran compiled
  }
}
