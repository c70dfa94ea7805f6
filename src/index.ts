/** Library entry: the pipeline and the contract. */
export { processFile, processFiles, processBytes } from './pipeline.js';
export type { DocumentResult, DocumentError, FormMeta, PageFrame } from './pipeline.js';
export * from './schema/records.js';
export * from './schema/findings.js';
export { jsonSchema } from './output/json.js';
