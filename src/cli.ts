/**
 * jixiao CLI — thin: parse arguments, run the pipeline, print.
 *   jixiao extract <files…> [--json] [--out PATH]
 *   jixiao check   <files…> [--json] [--out PATH]   exit 1: error finding, 2: an input failed
 *   jixiao schema  [record|finding|output]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { closePipeline, processFiles, type DocumentResult } from './pipeline.js';
import { processFilesIsolated } from './batch.js';
import { toJson, jsonSchema, type SchemaName } from './output/json.js';
import { summarize } from './output/summary.js';
import { BACKENDS, LlmBackend, LlmConfigError, describeConfig, llmConfig, type Backend } from './parse/llm/index.js';

const USAGE = `usage:
  jixiao extract <files…> [--json] [--out PATH]   read forms into records
  jixiao check <files…> [--json] [--out PATH]     read and recheck; exit 1 on an error finding, 2 when an input failed
  jixiao schema [record|finding|output]           print the JSON Schema of the output
options:
  --json        machine output {"documents":[{file,records,findings,errors,forms}]}
  --out PATH    write the output to PATH instead of standard output
  --concurrency N  files processed at once (default 2)
  --timeout S      per-file limit in seconds (default 600); a file past it is abandoned with an error
  --password P     the password that opens encrypted PDFs (their user password)
LLM backend (off unless --llm or JIXIAO_LLM_BASE_URL / JIXIAO_LLM_MODEL is set; key from JIXIAO_LLM_API_KEY or OPENAI_API_KEY):
  --llm               read forms the deterministic parser refuses or doubts with an OpenAI-compatible LLM
  --llm-model M       model name (or JIXIAO_LLM_MODEL)
  --llm-base-url URL  endpoint (or JIXIAO_LLM_BASE_URL, OPENAI_BASE_URL)
  --llm-provider P    openai | json_object | local | generic (default: guessed from the URL)
  --backend B         hybrid (default with an LLM) | llm (every form) | rules (no LLM)
  --no-llm-cache      do not read or write the answer cache (~/.cache/jixiao or JIXIAO_CACHE_DIR)`;

export function exitCode(docs: DocumentResult[]): number {
  const failed = docs.some((d) => d.errors.length > 0 && d.records.length === 0);
  if (failed) return 2;
  return docs.some((d) => d.findings.some((f) => f.severity === 'error')) ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        out: { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        timeout: { type: 'string', default: '600' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        llm: { type: 'boolean', default: false },
        'llm-model': { type: 'string' },
        'llm-base-url': { type: 'string' },
        'llm-provider': { type: 'string' },
        'no-llm-cache': { type: 'boolean', default: false },
        backend: { type: 'string' },
      },
    });
  } catch (e) {
    process.stderr.write(`jixiao: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  const [command, ...files] = parsed.positionals;
  const { values } = parsed;
  if (values.help || !command) {
    process.stdout.write(USAGE + '\n');
    return command || values.help ? 0 : 2;
  }
  const emit = async (text: string): Promise<void> => {
    if (values.out) await writeFile(values.out, text);
    else process.stdout.write(text);
  };
  if (command === 'schema') {
    const which = (files[0] ?? 'output') as SchemaName;
    if (!['record', 'finding', 'output'].includes(which)) {
      process.stderr.write(`jixiao: unknown schema '${which}' (record, finding or output)\n`);
      return 2;
    }
    await emit(JSON.stringify(jsonSchema(which), null, 2) + '\n');
    return 0;
  }
  if (command !== 'extract' && command !== 'check') {
    process.stderr.write(`jixiao: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  if (files.length === 0) {
    process.stderr.write(`jixiao ${command}: no input files\n`);
    return 2;
  }
  const concurrency = Math.max(1, Number.parseInt(values.concurrency ?? '2', 10) || 2);
  let llm: LlmBackend | null = null;
  let backend: Backend | undefined;
  try {
    if (values.backend !== undefined && !BACKENDS.includes(values.backend as Backend)) throw new LlmConfigError(`unknown backend '${values.backend}' (${BACKENDS.join(', ')})`);
    backend = values.backend as Backend | undefined;
    const config = backend === 'rules' ? null : llmConfig({ llm: values.llm || backend === 'llm' || backend === 'hybrid', model: values['llm-model'], baseURL: values['llm-base-url'], provider: values['llm-provider'], noCache: values['no-llm-cache'] });
    llm = config ? new LlmBackend(config) : null;
  } catch (e) {
    if (!(e instanceof LlmConfigError)) throw e;
    process.stderr.write(`jixiao: ${e.message}\n`);
    return 2;
  }
  const timeoutMs = Math.max(1, Number.parseFloat(values.timeout ?? '600') || 600) * 1000;
  // Offline runs read each file in a lane (a child process) with a timeout; LLM runs share one client in-process.
  const docs = llm
    ? await processFiles(files, concurrency, { llm, backend, password: values.password }).finally(closePipeline)
    : await processFilesIsolated(files, { concurrency, timeoutMs, password: values.password });
  await emit(values.json ? toJson(docs) : summarize(docs, { mode: command }));
  for (const e of docs.flatMap((d) => d.errors)) if (values.json || values.out) process.stderr.write(`jixiao: ${e.message}\n`);
  if (llm) {
    const u = llm.usage;
    process.stderr.write(`jixiao: LLM ${describeConfig(llm.config)}: ${u.requests} request(s), ${u.promptTokens} prompt + ${u.completionTokens} completion tokens, ${u.cached} cached answer(s)\n`);
  }
  // The LLM was asked for and could not be used: the run did not do what was requested.
  if (docs.some((d) => d.errors.some((e) => e.stage === 'llm'))) return 2;
  return command === 'check' ? exitCode(docs) : docs.some((d) => d.records.length === 0 && d.errors.length) ? 2 : 0;
}
