/**
 * jixiao CLI — thin: parse arguments, run the pipeline, print.
 *   jixiao extract <files…> [--json] [--out PATH]
 *   jixiao check   <files…> [--json] [--out PATH]   exit 1: error finding, 2: an input failed
 *   jixiao schema  [record|finding|output]
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { closePipeline, processFiles, type DocumentResult } from './pipeline.js';
import { toJson, jsonSchema, type SchemaName } from './output/json.js';
import { summarize } from './output/summary.js';

const USAGE = `usage:
  jixiao extract <files…> [--json] [--out PATH]   read forms into records
  jixiao check <files…> [--json] [--out PATH]     read and recheck; exit 1 on an error finding, 2 when an input failed
  jixiao schema [record|finding|output]           print the JSON Schema of the output
options:
  --json        machine output {"documents":[{file,records,findings,errors,forms}]}
  --out PATH    write the output to PATH instead of standard output
  --concurrency N  files processed at once (default 2)`;

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
        help: { type: 'boolean', short: 'h', default: false },
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
  const docs = await processFiles(files, concurrency).finally(closePipeline);
  await emit(values.json ? toJson(docs) : summarize(docs, { mode: command }));
  for (const e of docs.flatMap((d) => d.errors)) if (values.json || values.out) process.stderr.write(`jixiao: ${e.message}\n`);
  return command === 'check' ? exitCode(docs) : docs.some((d) => d.records.length === 0 && d.errors.length) ? 2 : 0;
}
