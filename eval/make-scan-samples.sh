#!/usr/bin/env bash
# Degrades the generated sample PDFs into photocopy-like scans with no text layer:
# 150 dpi gray, a slight rotation, blur, speckle noise, JPEG compression. Needs Debian
# poppler-utils, imagemagick and img2pdf. Output: samples/scan/*.pdf (committed).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p samples/scan
for pdf in samples/pdf/*.pdf; do
  name=$(basename "$pdf" .pdf)
  work=$(mktemp -d)
  pdftoppm -r 150 -gray -png "$pdf" "$work/p"
  i=0
  for png in "$work"/p-*.png; do
    i=$((i + 1))
    # Alternate small rotations either way, as a page fed by hand would be.
    angle=$(awk -v i="$i" 'BEGIN { printf "%.2f", (i % 2 ? 0.7 : -0.5) }')
    convert "$png" -background white -rotate "$angle" -blur 0x0.5 \
      -attenuate 0.12 +noise Gaussian -level 8%,92% -quality 40 "$work/s-$(printf %03d $i).jpg"
  done
  img2pdf --pagesize A4 "$work"/s-*.jpg -o "samples/scan/$name.pdf"
  rm -rf "$work"
  echo "wrote samples/scan/$name.pdf"
done
