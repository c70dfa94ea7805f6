/**
 * tesseract.js's own worker script (node), run with leptonica's messages on a line too thin to
 * scale kept off the user's terminal (leptonica-messages.cjs). On such a line (a rule's remnant
 * taken for a line of text) leptonica writes `Error in pixScaleAreaMap: pixd too small` and three
 * more through the WebAssembly core's printErr, which is console.error bound as the core loads:
 * tesseract reads the line as nothing and nothing is lost, but an auditor running a batch sees
 * "Error" lines no file's result accounts for. Tesseract's own messages go to its debug_file
 * (/dev/null, see ocr.ts). JIXIAO_OCR_DEBUG lets both through. CommonJS, as tesseract.js's worker
 * script is: node runs this file as the worker thread's entry. The script's path inside the
 * tesseract.js package is its own (tesseract.js 7 exports no other).
 */
'use strict';

const { isLeptonicaMessage } = require('./leptonica-messages.cjs');

if (!process.env.JIXIAO_OCR_DEBUG) {
  const error = console.error.bind(console);
  console.error = (...args) => {
    if (!isLeptonicaMessage(args)) error(...args);
  };
}

require('tesseract.js/src/worker-script/node/index.js');
