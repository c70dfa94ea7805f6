#!/bin/sh
# A development set of scanned tables without rules: the holdout's rule-less PDFs
# (samples/holdout/*.stream-*.pdf: horizontal rules nowhere, cells set apart by white alone)
# rendered at 200 dpi gray and put back into PDFs with no text layer, as a clean scan of such a
# form would be. `npm run eval` scores it as the route `flowscan` when the files are there
# (`npm run eval -- --file flowscan/` for this route alone).
#
# What it is for: developing the reading of rule-less tables on scans (src/ingest/line-finder.ts).
# The files derive from holdout files, so the holdout's rule-less layouts are not unseen for this
# route. Not committed (about 5 MB). Run from the repository root; needs Debian poppler-utils and
# img2pdf. Output: samples/flowscan/<holdout name>.gray200.pdf
set -eu
out=samples/flowscan
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for src in samples/holdout/*.stream-*.pdf; do
  name=$(basename "$src" .pdf)
  rm -f "$work"/p-*.png
  pdftoppm -r 200 -gray -png "$src" "$work/p"
  img2pdf --pagesize A4 "$work"/p-*.png -o "$out/$name.gray200.pdf"
  echo "wrote $out/$name.gray200.pdf"
done
