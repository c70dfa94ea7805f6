#!/usr/bin/env python3
"""
A development set of photocopy-grade scans of the pdf samples (samples/pdf/*.pdf, our own
generator's PDFs), degraded with the holdout's photocopy recipe (eval/make-holdout-samples.py
`scan`): binarised at 300 dpi (CCITT G4, two noise seeds) and high-contrast gray JPEG at 200 dpi,
skewed 1–2°, speckled, with a shadowed edge and no text layer.

What it is for: measuring and developing the reading of photocopies on documents whose gold we
know without looking at the held-out files. `npm run eval` scores it as the route `photocopy`
when the files are there (`npm run eval -- --file photocopy/` for this route alone).

The files are not committed (about 12 MB of speckled scans). Run from the repository root:
`/usr/bin/python3 eval/make-photocopy-samples.py` (needs what make-holdout-samples.py needs, which it imports:
Debian `python3-reportlab`, run with Debian's `/usr/bin/python3`, Debian poppler-utils imagemagick img2pdf).
Output: samples/photocopy/<sample>.{bw300a,bw300b,gray200}.pdf

With `--office`: the same recipe on LibreOffice Writer's ruled print of the samples
(samples/holdout/*.lo-ruled.pdf, eval/make-pdf-samples.ts --office), one binarised and one gray
photocopy each, into the `officescan` development set (not committed either):
samples/officescan/<holdout name>.{bw300,gray200}.pdf. An office suite's layout (its own column
widths, labels wrapped a glyph or two a line, rows cut by page breaks, inner rules 0.1 pt hairlines
that the photocopy all but loses) on a photocopy, a layout the scan route had not been developed on
when it was first scored.

With `--flow`: the same recipe on the holdout's rule-less PDFs (samples/holdout/*.stream-*.pdf), one
binarised and one gray photocopy each, into the `flowscan` development set beside its clean scans
(eval/make-flowscan-samples.sh): samples/flowscan/<holdout name>.{bw300,copy200}.pdf. Those layouts
are then not unseen for scans (as that script says).
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', 'samples', 'photocopy')
SAMPLES = ['sh-sbk-2021-self-eval', 'sh-sibao-2022-target-declaration', 'sh-sibao-2024-self-eval']


def holdout_recipe():
    """The `scan` function of make-holdout-samples.py (imported from its file: the name has dashes)."""
    spec = importlib.util.spec_from_file_location('make_holdout_samples', os.path.join(HERE, 'make-holdout-samples.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.scan


def flow(scan):
    out = os.path.join(HERE, '..', 'samples', 'flowscan')
    os.makedirs(out, exist_ok=True)
    holdout = os.path.join(HERE, '..', 'samples', 'holdout')
    for i, src in enumerate(sorted(f for f in os.listdir(holdout) if '.stream-' in f and f.endswith('.pdf'))):
        name = src[:-len('.pdf')]
        scan(os.path.join(holdout, src), os.path.join(out, f'{name}.bw300.pdf'), 300, 'bw', 401 + i)
        scan(os.path.join(holdout, src), os.path.join(out, f'{name}.copy200.pdf'), 200, 'gray', 503 + i)


def office(scan):
    holdout = os.path.join(HERE, '..', 'samples', 'holdout')
    out = os.path.join(HERE, '..', 'samples', 'officescan')
    os.makedirs(out, exist_ok=True)
    for i, src in enumerate(sorted(f for f in os.listdir(holdout) if f.endswith('.lo-ruled.pdf'))):
        name = src[:-len('.pdf')]
        scan(os.path.join(holdout, src), os.path.join(out, f'{name}.bw300.pdf'), 300, 'bw', 601 + i)
        scan(os.path.join(holdout, src), os.path.join(out, f'{name}.gray200.pdf'), 200, 'gray', 701 + i)


def main():
    scan = holdout_recipe()
    if '--flow' in sys.argv[1:]:
        return flow(scan)
    if '--office' in sys.argv[1:]:
        return office(scan)
    os.makedirs(OUT, exist_ok=True)
    for i, name in enumerate(SAMPLES):
        src = os.path.join(HERE, '..', 'samples', 'pdf', f'{name}.pdf')
        scan(src, os.path.join(OUT, f'{name}.bw300a.pdf'), 300, 'bw', 101 + i)
        scan(src, os.path.join(OUT, f'{name}.bw300b.pdf'), 300, 'bw', 211 + i)
        scan(src, os.path.join(OUT, f'{name}.gray200.pdf'), 200, 'gray', 307 + i)


if __name__ == '__main__':
    sys.exit(main())
