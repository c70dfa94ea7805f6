/**
 * Whether console.error's arguments are one of leptonica's messages: a line of its own naming the
 * function that wrote it, `Error in pixScaleAreaMap: pixd too small`, `Warning in pixClipRectangle: …`.
 */
'use strict';

const LEPTONICA = /^(?:Error|Warning|Info) in [A-Za-z_]\w*: /;

/** @param {unknown[]} args */
function isLeptonicaMessage(args) {
  return args.length === 1 && typeof args[0] === 'string' && LEPTONICA.test(args[0]);
}

module.exports = { isLeptonicaMessage };
