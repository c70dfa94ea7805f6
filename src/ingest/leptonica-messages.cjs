/**
 * Whether console.error's arguments are one of the messages leptonica writes when tesseract hands
 * it a line too thin to scale (a rule's remnant 10 pixels wide and 1060 high, scaled by 0.045), a
 * line tesseract then reads as nothing: `Error in pixScaleAreaMap: pixd too small` and what follows
 * from it. Any other message of leptonica's (an allocation failing) still reaches the terminal.
 */
'use strict';

const THIN_LINE = new Set([
  'Error in pixScaleAreaMap: pixd too small',
  'Error in pixClone: pixs not defined',
  'Error in pixCopyText: pixd not defined',
  'Error in pixCopyInputFormat: pixd not defined',
]);

/** @param {unknown[]} args */
function isLeptonicaMessage(args) {
  return args.length === 1 && typeof args[0] === 'string' && THIN_LINE.has(args[0].trim());
}

module.exports = { isLeptonicaMessage };
