#!/usr/bin/env python3
"""
Held-out-like PDFs from the gold records, made with a renderer other than Chromium (reportlab,
drawing every cell by hand), so the PDF route is measured on layouts our own generator never makes:

  * the non-embedded CID font STSong-Light (UniGB-UCS2-H, needs pdfjs cMaps), smaller type and other
    column widths than eval/make-pdf-samples.ts, forms flowing on (no page break per form), tables
    crossing pages with a repeated header row and merged level cells split at the break, running
    headers, footers and page numbers;
  * an A4 landscape page and a portrait media box shown landscape through /Rotate 90;
  * tables with horizontal rules only, and "stream" tables with no rules at all (cells at the top or
    centred in their rows);
  * embedded TrueType fonts other than Noto (WenQuanYi Micro Hei, AR PL UMing);
  * photocopy-like scans of the STSong file (binarised / high contrast, speckles, 1–2° skew, a
    shadowed edge, no text layer): pdftoppm → ImageMagick → img2pdf;
  * the same kind of photocopy kept as an archive keeps scans: one multi-page CCITT Group 4 TIFF at
    300 dpi, whose resolution tag ImageMagick writes per centimetre (the reader must not believe it);
  * embedded fonts without a ToUnicode map (a common fault of PDF printers): the text layer gives
    glyph codes, not characters, so the pages must be read by OCR.
  * the gray photocopy with its sheets laid on the glass turned (a quarter either way, upside down),
    and in colour with a red seal stamped over each sheet's table.

Run from the repository root: `/usr/bin/python3 eval/make-holdout-samples.py` (needs Debian `python3-reportlab`, run with Debian's `/usr/bin/python3`,
Debian fonts-wqy-microhei fonts-arphic-uming poppler-utils imagemagick img2pdf). Output:
samples/holdout/<gold name>.<variant>.pdf|.tif (committed); `--scans` / `--tiff` / `--turned` / `--sealed` / `--no-tounicode` remake only those
(the last needs no reportlab). Deterministic (fixed random seeds).
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

OUT = 'samples/holdout'


def no_tounicode(sbk, decl):
    """(g) embedded fonts without a ToUnicode map, a common fault of PDF printers: the text layer
    gives glyph codes, not characters. The /ToUnicode keys of (c) and of the rotated (b) are renamed in
    place (same length: the xref offsets stay right)."""
    for src, out in [(f'{OUT}/{sbk}.hrules-wqy.pdf', f'{OUT}/{sbk}.no-tounicode.pdf'),
                     (f'{OUT}/{decl}.rotate90.pdf', f'{OUT}/{decl}.no-tounicode.pdf')]:
        with open(src, 'rb') as f:
            data = f.read()
        assert b'/ToUnicode' in data, src
        with open(out, 'wb') as f:
            f.write(data.replace(b'/ToUnicode', b'/ToUnicodX'))
        print('wrote', out, os.path.getsize(out), 'bytes')


if __name__ == '__main__' and sys.argv[1:] == ['--no-tounicode']:  # needs no reportlab
    sys.exit(no_tounicode('sh-sbk-2021-self-eval', 'sh-sibao-2022-target-declaration'))

from reportlab.lib.pagesizes import A4, landscape  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfbase.ttfonts import TTFont  # noqa: E402
from reportlab.pdfgen import canvas as rl_canvas  # noqa: E402

pdfmetrics.registerFont(UnicodeCIDFont('STSong-Light'))
pdfmetrics.registerFont(TTFont('WQY', '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', subfontIndex=0))
pdfmetrics.registerFont(TTFont('UMing', '/usr/share/fonts/truetype/arphic/uming.ttc', subfontIndex=1))


def num(v, d=2):
    return '-' if v is None else f'{v:,.{d}f}'


def short(v):
    """A weight or score as a form prints it: 10, 7.5, 94.94."""
    if v is None:
        return ''
    s = f'{v:.2f}'.rstrip('0').rstrip('.')
    return s


def plain(v):
    return '' if v is None else f'{int(v):,}' if float(v).is_integer() else f'{v:,}'


def text(v):
    return '' if v is None else str(v)


# ── a table = rows of cells on column fractions ───────────────────────────────────────────────
class Cell:
    def __init__(self, s, col, colspan=1, rowspan=1, align='center'):
        self.s, self.col, self.colspan, self.rowspan, self.align = text(s), col, colspan, rowspan, align


class Table:
    def __init__(self, fracs, rows, header=0):
        self.fracs = fracs  # column widths, fractions of the table width
        self.rows = rows  # list of list of Cell
        self.header = header  # leading rows repeated after a page break


class Style:
    def __init__(self, font, size, rules='grid', valign='middle', header_text=None, footer=True, pagesize=A4, rotate=False,
                 margins=(42, 48, 40, 52), break_forms=True):
        self.font, self.size, self.rules, self.valign = font, size, rules, valign
        self.header_text, self.footer, self.pagesize, self.rotate = header_text, footer, pagesize, rotate
        self.margins = margins  # left, top, right, bottom
        self.break_forms = break_forms


class Doc:
    """Draws tables cell by cell; a page holds what fits, header rows are repeated on the next page."""

    def __init__(self, path, st):
        self.st = st
        self.path = path
        # With rotate, the media box is portrait, /Rotate 90 shows it landscape, and the content is drawn
        # in the displayed (landscape) space through a rotation.
        self.w, self.h = landscape(A4) if st.rotate else st.pagesize
        # reportlab swaps the media box of a page rotated by 90: give it the displayed (landscape) size.
        media = landscape(A4) if st.rotate else st.pagesize
        self.c = rl_canvas.Canvas(path, pagesize=media, pageCompression=1)
        self.c.setAuthor('jixiao holdout generator')
        self.page = 0
        self.pages = []  # deferred page furniture needs the total: drawn by a second pass
        self.new_page(first=True)

    def start_page(self):
        if self.st.rotate:
            self.c.setPageRotation(90)
            # display (u, v) → user (x, y) = (W - v, u), W the media box width.
            self.c.transform(0, 1, -1, 0, A4[0], 0)
        self.c.setFont(self.st.font, self.st.size)
        self.page += 1
        l, t, r, b = self.st.margins
        self.y = self.h - t
        if self.st.header_text:
            self.c.setFont(self.st.font, self.st.size - 1)
            self.c.drawString(l, self.h - t + 16, self.st.header_text)
            self.c.setLineWidth(0.4)
            self.c.line(l, self.h - t + 12, self.w - r, self.h - t + 12)
        if self.st.footer:
            self.c.setFont(self.st.font, self.st.size - 1)
            self.c.drawCentredString(self.w / 2, b - 22, f'第 {self.page} 页')
        self.c.setFont(self.st.font, self.st.size)

    def new_page(self, first=False):
        if not first:
            self.c.showPage()
        self.start_page()

    @property
    def left(self):
        return self.st.margins[0]

    @property
    def width(self):
        return self.w - self.st.margins[0] - self.st.margins[2]

    @property
    def bottom(self):
        return self.st.margins[3]

    def wrap(self, s, width, size):
        lines, cur = [], ''
        for ch in s:
            if pdfmetrics.stringWidth(cur + ch, self.st.font, size) > width and cur:
                lines.append(cur)
                cur = ch
            else:
                cur += ch
        if cur or not lines:
            lines.append(cur)
        return lines

    def centred(self, s, size, gap=4):
        if self.y - size - gap < self.bottom:
            self.new_page()
        self.c.setFont(self.st.font, size)
        self.y -= size
        self.c.drawCentredString(self.left + self.width / 2, self.y, s)
        self.y -= gap
        self.c.setFont(self.st.font, self.st.size)

    def space(self, d):
        self.y -= d

    def table(self, t):
        size = self.st.size
        lead = size * 1.25
        pad = 2.5
        xs = [self.left]
        for f in t.fracs:
            xs.append(xs[-1] + f * self.width)
        # wrapped lines per cell, row heights (a spanning cell's extra height goes to its last row)
        lines = {}
        heights = []
        for ri, row in enumerate(t.rows):
            need = lead + 2 * pad
            for c in row:
                w = xs[c.col + c.colspan] - xs[c.col] - 2 * pad
                lines[id(c)] = self.wrap(c.s, w, size) if c.s else []
                if c.rowspan == 1:
                    need = max(need, len(lines[id(c)]) * lead + 2 * pad)
            heights.append(need)
        for ri, row in enumerate(t.rows):
            for c in row:
                if c.rowspan > 1:
                    need = len(lines[id(c)]) * lead + 2 * pad
                    have = sum(heights[ri:ri + c.rowspan])
                    if need > have:
                        heights[ri + c.rowspan - 1] += need - have
        # place rows on pages
        placed = []  # (page, row index, top y)
        ri = 0
        first_on_page = True
        while ri < len(t.rows):
            if self.y - heights[ri] < self.bottom and not first_on_page:
                self.flush(t, xs, heights, lines, placed)
                placed = []
                self.new_page()
                first_on_page = True
                if t.header and ri >= t.header:
                    for hi in range(t.header):
                        placed.append((hi, self.y))
                        self.y -= heights[hi]
                continue
            placed.append((ri, self.y))
            self.y -= heights[ri]
            first_on_page = False
            ri += 1
        self.flush(t, xs, heights, lines, placed)

    def flush(self, t, xs, heights, lines, placed):
        """Draws the rows placed on this page; a spanning cell is cut at the page's last row."""
        if not placed:
            return
        c = self.c
        size = self.st.size
        lead = size * 1.25
        on_page = {ri: y for ri, y in placed}
        order = [ri for ri, _ in placed]
        last = order[-1]
        covered = {}  # row index → cells spanning into it from an earlier row
        for ri, row in enumerate(t.rows):
            for cell in row:
                for k in range(1, cell.rowspan):
                    covered.setdefault(ri + k, []).append((ri, cell))
        frags = []  # (cell, top, bottom, lines shown)
        for ri in order:
            for cell in t.rows[ri]:
                end = min(ri + cell.rowspan - 1, max(r for r in order))
                span = [r for r in order if ri <= r <= end]
                top = on_page[ri]
                bottom = on_page[span[-1]] - heights[span[-1]]
                frags.append((cell, top, bottom, lines[id(cell)]))
            # a spanning cell begun on an earlier page continues here, its text repeated or not by style
            if ri == next((r for r in order if r >= t.header), None):
                for (r0, cell) in covered.get(ri, []):
                    if r0 in on_page:
                        continue
                    end = min(r0 + cell.rowspan - 1, last)
                    span = [r for r in order if ri <= r <= end]
                    frags.append((cell, on_page[ri], on_page[span[-1]] - heights[span[-1]], lines[id(cell)] if self.st.valign == 'middle' else []))
        c.setLineWidth(0.6)
        for cell, top, bottom, ls in frags:
            x0, x1 = xs[cell.col], xs[cell.col + cell.colspan]
            if self.st.rules == 'grid':
                c.rect(x0, bottom, x1 - x0, top - bottom, stroke=1, fill=0)
            elif self.st.rules == 'hrules':
                c.line(x0, top, x1, top)
                c.line(x0, bottom, x1, bottom)
            n = len(ls)
            if self.st.valign == 'middle':
                ty = (top + bottom) / 2 + n * lead / 2 - size * 0.95
            else:
                ty = top - 2.5 - size * 0.95
            for ln in ls:
                if cell.align == 'center':
                    c.drawCentredString((x0 + x1) / 2, ty, ln)
                else:
                    c.drawString(x0 + 2.5, ty, ln)
                ty -= lead

    def save(self):
        self.c.showPage()
        self.c.save()


def spans(rows, key):
    out = [0] * len(rows)
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and key(rows[j]) == key(rows[i]):
            j += 1
        out[i] = j - i
        i = j
    return out


def indicator_rows(inds, extra, first_row=1):
    l1 = spans(inds, lambda i: i['level1'] or '')
    l2 = spans(inds, lambda i: f"{i['level1']}|{i['level2']}")
    rows = []
    for k, i in enumerate(inds):
        row = []
        if l1[k]:
            row.append(Cell(i['level1'], 0, rowspan=l1[k]))
        if l2[k]:
            row.append(Cell(i['level2'], 1, rowspan=l2[k]))
        row.append(Cell(i['name'], 2, align='left'))
        row.extend(extra(i))
        rows.append(row)
    return rows


def self_eval(d, r):
    f = r['funding']
    unit = r.get('moneyUnit') or '元'
    d.centred('财政项目支出绩效自评表', d.st.size + 5)
    d.centred(f"（{r['year']}年度）", d.st.size, gap=6)
    d.table(Table([0.16, 0.44, 0.14, 0.26], [
        [Cell('项目名称', 0), Cell(r['projectName'], 1, 3, align='left')],
        [Cell('主管部门', 0), Cell(r['department'], 1, align='left'), Cell('实施单位', 2), Cell(r['implementingUnit'], 3, align='left')],
    ]))
    fr = lambda label, row: [Cell(label, 0), Cell(num(row['initialBudget']), 1), Cell(num(row['annualBudget']), 2), Cell(num(row['executed']), 3),
                             Cell(short(row['weight']) or '-', 4), Cell(num(row['executionRate']), 5), Cell(short(row['score']) or '-', 6)]
    d.table(Table([0.2, 0.15, 0.15, 0.15, 0.09, 0.13, 0.13], [
        [Cell(f'项目资金（{unit}）', 0), Cell('年初预算数', 1), Cell('全年预算数', 2), Cell('全年执行数', 3), Cell('分值', 4), Cell('执行率(%)', 5), Cell('得分', 6)],
        fr('年度资金总额', f['total']), fr('其中：当年财政拨款', f['currentYearFiscal']), fr('上年结转资金', f['carryover']), fr('其他资金', f['other']),
    ]))
    g = r['goals']
    d.table(Table([0.1, 0.45, 0.45], [
        [Cell('年度总体目标', 0, rowspan=2), Cell('预期目标', 1), Cell('实际完成情况', 2)],
        [Cell(g['expected'], 1, align='left'), Cell(g['actual'], 2, align='left')],
    ]))
    head = [Cell(s, k) for k, s in enumerate(['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'])]
    rows = [head] + indicator_rows(r['indicators'], lambda i: [
        Cell(i['target'], 3), Cell(i['actual'], 4), Cell(short(i['weight']), 5), Cell(short(i['score']), 6), Cell(i['deviationReason'], 7, align='left')])
    rows.append([Cell('总分', 0, 5), Cell(short(r['totalWeight']), 5), Cell(short(r['totalScore']), 6), Cell('', 7)])
    if r.get('grade'):
        rows.append([Cell('评分等级', 0, 5), Cell(r['grade'], 5, 3)])
    d.table(Table([0.08, 0.1, 0.2, 0.11, 0.11, 0.06, 0.06, 0.28], rows, header=1))


def target(d, r):
    f = r['funding']
    g = r['goals']
    d.centred('财政项目支出绩效目标申报表', d.st.size + 5)
    d.centred(f"（ {r['year']}年度 ）", d.st.size, gap=6)
    d.table(Table([0.14, 0.18, 0.22, 0.46], [
        [Cell('项目名称', 0), Cell(r['projectName'], 1, 3, align='left')],
        [Cell('项目类别', 0), Cell(r['projectCategory'], 1, 3, align='left')],
        [Cell('主管部门', 0), Cell(r['department'], 1, align='left'), Cell('实施单位', 2), Cell(r['implementingUnit'], 3, align='left')],
        [Cell('计划开始日期', 0), Cell(r['plannedStart'], 1), Cell('计划完成日期', 2), Cell(r['plannedEnd'], 3)],
    ]))
    d.table(Table([0.12, 0.2, 0.18, 0.26, 0.24], [
        [Cell('项目资金', 0, rowspan=4), Cell('项目资金总额', 1), Cell(plain(f['projectTotal']), 2), Cell('年度资金申请总额', 3), Cell(plain(f['annualTotal']), 4)],
        [Cell('其中：财政资金', 1), Cell(plain(f['projectFiscal']), 2), Cell('其中：当年财政拨款', 3), Cell(plain(f['annualFiscal']), 4)],
        [Cell('', 1), Cell('', 2), Cell('上年结转资金', 3), Cell(plain(f['annualCarryover']), 4)],
        [Cell('其他资金', 1), Cell(plain(f['projectOther']), 2), Cell('其他资金', 3), Cell(plain(f['annualOther']), 4)],
    ]))
    d.table(Table([0.12, 0.44, 0.44], [
        [Cell('项目绩效目标', 0, rowspan=3), Cell('项目总目标', 1), Cell('年度总目标', 2)],
        [Cell(f"（ {g['overallPeriod']} ）", 1), Cell('', 2)],
        [Cell(g['overall'], 1, align='left'), Cell(g['annual'], 2, align='left')],
    ]))
    head = [Cell(s, k) for k, s in enumerate(['一级指标', '二级指标', '三级指标', '指标目标值'])]
    rows = [head] + indicator_rows(r['indicators'], lambda i: [Cell(i['target'], 3)])
    d.table(Table([0.13, 0.17, 0.42, 0.28], rows, header=1))


def render(records, path, st):
    d = Doc(path, st)
    for k, r in enumerate(records):
        if k:
            if st.break_forms:
                d.new_page()
            else:
                d.space(st.size * 3)
        (self_eval if r['docType'] == 'self_evaluation' else target)(d, r)
    d.save()
    print('wrote', path, os.path.getsize(path), 'bytes')


def gold(name):
    with open(f'samples/{name}.gold.json', encoding='utf-8') as fh:
        return [r for r in json.load(fh)['records'] if r['docType'] != 'evaluation_report']


def sh(*args):
    subprocess.run(args, check=True)


def seal_image(path, dpi):
    """An official seal (公章) 42 mm across: a red ring, a star and the issuing office's name, as a stamp's ink blurs."""
    d = round(42 / 25.4 * dpi)
    c, r = d // 2, d // 2 - round(0.03 * d)
    star = ' '.join(f'{c + round(0.23 * d * (1 if k % 2 == 0 else 0.4) * math.sin(math.pi * k / 5))},'
                    f'{c - round(0.23 * d * (1 if k % 2 == 0 else 0.4) * math.cos(math.pi * k / 5))}' for k in range(10))
    sh('convert', '-size', f'{d}x{d}', 'xc:white', '-fill', 'none', '-stroke', 'rgb(215,35,40)', '-strokewidth', str(round(0.03 * d)),
       '-draw', f'circle {c},{c} {c},{c - r}', '-stroke', 'none', '-fill', 'rgb(215,35,40)', '-draw', f'polygon {star}',
       '-font', '/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc', '-pointsize', str(round(0.09 * d)),
       '-gravity', 'south', '-annotate', f'+0+{round(0.16 * d)}', '社保业务专用章', '-blur', '0x0.8', path)


def scan(src, out, dpi, mode, seed, container='pdf', turns=(0,), sealed=False):
    """A photocopy of `src`: skew, speckles, a shadowed edge; 'bw' is binarised (CCITT G4), 'gray' high-contrast JPEG.
    In a PDF (img2pdf), or with container='tif' the pages of one multi-page TIFF as an archive keeps them.
    Page i is laid on the glass turned clockwise by turns[i % len(turns)] degrees (a landscape page
    fed on its side, a sheet upside down); its PDF page takes the turned image's shape. `sealed`: each
    page bears a red seal over the lower right of its table, and is scanned in colour."""
    work = tempfile.mkdtemp()
    try:
        sh('pdftoppm', '-r', str(dpi), '-gray', '-png', src, f'{work}/p')
        pages = sorted(p for p in os.listdir(work) if p.startswith('p-'))
        outs = []
        turned = turns != (0,)
        if sealed:
            seal_image(f'{work}/seal.png', dpi)
        for i, p in enumerate(pages):
            angle = (1.6, -1.1, 1.2, -1.8)[i % 4]
            src_png = f'{work}/{p}'
            if sealed:
                w, h = (int(v) for v in subprocess.run(['identify', '-format', '%w %h', src_png], capture_output=True, text=True, check=True).stdout.split())
                stamped = f'{work}/stamped-{i}.png'
                sh('convert', src_png, '-colorspace', 'sRGB', '-type', 'TrueColor', f'{work}/seal.png', '-geometry', f'+{round(0.62 * w)}+{round(0.58 * h)}',
                   '-compose', 'multiply', '-composite', stamped)
                src_png = stamped
            edge = int(dpi * 0.35)
            common = ['convert', src_png, '-seed', str(seed + i),
                      # skew as a page laid on the glass by hand
                      '-background', 'white', '-rotate', str(angle + turns[i % len(turns)]), '+repage',
                      # toner: slightly blurred, then speckles
                      '-blur', '0x0.6', '-attenuate', '0.1', '+noise', 'Impulse']
            shadow = f'{work}/sh-{i}.png'
            # the lid's shadow along one long edge, as tall as the page
            dims = subprocess.run(['identify', '-format', '%w %h', src_png], capture_output=True, text=True, check=True).stdout.split()
            h = int(dims[1] if turns[i % len(turns)] % 180 == 0 else dims[0])
            sh('convert', '-size', f'{h}x{edge}', 'gradient:gray(20)-white', '-rotate', '90', shadow)
            tmp = f'{work}/t-{i}.png'
            sh(*common, tmp)
            sh('convert', tmp, shadow, '-gravity', 'west' if i % 2 == 0 else 'east', '-compose', 'multiply', '-composite', tmp)
            if mode == 'bw':
                o = f'{work}/s-{i:03d}.tif'
                sh('convert', tmp, '-threshold', '58%', '-attenuate', '0.006', '+noise', 'Impulse', '-threshold', '50%',
                   '-type', 'bilevel', '-density', str(dpi), '-compress', 'Group4', o)
            else:
                o = f'{work}/s-{i:03d}.jpg'
                sh('convert', tmp, '-level', '22%,78%', '-attenuate', '0.06', '+noise', 'Gaussian', *(['-units', 'PixelsPerInch'] if turned else []), '-density', str(dpi), '-quality', '30', o)
            outs.append(o)
        if container == 'tif':
            sh('convert', *outs, '-compress', 'Group4' if mode == 'bw' else 'LZW', out)
        else:
            # A turned page keeps its image's shape (at its resolution); the others are set on A4.
            sh('img2pdf', *([] if turned else ['--pagesize', 'A4']), *outs, '-o', out)
        print('wrote', out, os.path.getsize(out), 'bytes')
    finally:
        shutil.rmtree(work)


def main():
    os.makedirs(OUT, exist_ok=True)
    sbk, sibao, decl = 'sh-sbk-2021-self-eval', 'sh-sibao-2024-self-eval', 'sh-sibao-2022-target-declaration'
    running = '上海市财政局  预算绩效信息公开'
    # (a) STSong-Light, not embedded; forms flow on, tables cross pages with a repeated header row.
    stsong = Style('STSong-Light', 8, header_text=running, break_forms=False, margins=(50, 60, 46, 56))
    if sys.argv[1:] == ['--scans']:
        return scans(sbk, decl)
    if sys.argv[1:] == ['--tiff']:
        return tiffs(decl)
    if sys.argv[1:] == ['--turned']:
        return turned(decl)
    if sys.argv[1:] == ['--sealed']:
        return sealed(decl)
    render(gold(sbk), f'{OUT}/{sbk}.reportlab-stsong.pdf', stsong)
    render(gold(decl), f'{OUT}/{decl}.reportlab-stsong.pdf', stsong)
    # (b) landscape media box; and a portrait media box shown landscape by /Rotate 90.
    render(gold(sibao), f'{OUT}/{sibao}.reportlab-landscape.pdf', Style('STSong-Light', 9, pagesize=landscape(A4), header_text=running))
    render(gold(decl), f'{OUT}/{decl}.rotate90.pdf', Style('WQY', 9, rotate=True))
    # (c)+(d) horizontal rules only / no rules at all, with embedded TrueType fonts other than Noto.
    render(gold(sbk), f'{OUT}/{sbk}.hrules-wqy.pdf', Style('WQY', 8.5, rules='hrules', valign='top'))
    render(gold(sibao), f'{OUT}/{sibao}.stream-uming.pdf', Style('UMing', 9, rules='none', valign='top', header_text=running))
    render(gold(decl), f'{OUT}/{decl}.stream-wqy.pdf', Style('WQY', 9.5, rules='none', valign='top', break_forms=False))
    render(gold(sibao), f'{OUT}/{sibao}.hrules-uming.pdf', Style('UMing', 8, rules='hrules', valign='middle', break_forms=False))
    # no rules and cells centred in their rows (an Excel / HTML export without borders)
    render(gold(sbk), f'{OUT}/{sbk}.stream-middle.pdf', Style('WQY', 9, rules='none', valign='middle', header_text=running))
    scans(sbk, decl)
    tiffs(decl)
    turned(decl)
    sealed(decl)
    no_tounicode(sbk, decl)


def tiffs(decl):
    """(f) a multi-page fax-compressed TIFF at 300 dpi, the form archives keep scans in."""
    scan(f'{OUT}/{decl}.reportlab-stsong.pdf', f'{OUT}/{decl}.scan-g4.tif', 300, 'bw', 13, container='tif')


def turned(decl):
    """(g) the scan of (e) with its sheets laid on the glass turned: a quarter turn either way and upside down
    (the same seed: scan-gray200 is this scan upright)."""
    scan(f'{OUT}/{decl}.reportlab-stsong.pdf', f'{OUT}/{decl}.scan-turned.pdf', 200, 'gray', 11, turns=(90, 180, 270))


def sealed(decl):
    """(h) the scan of (e) in colour, each sheet stamped with a red seal over its table's lower right."""
    scan(f'{OUT}/{decl}.reportlab-stsong.pdf', f'{OUT}/{decl}.scan-sealed.pdf', 200, 'gray', 11, sealed=True)


def scans(sbk, decl):
    """(e) photocopy-like scans of (a)."""
    scan(f'{OUT}/{sbk}.reportlab-stsong.pdf', f'{OUT}/{sbk}.scan-bw300.pdf', 300, 'bw', 7)
    scan(f'{OUT}/{decl}.reportlab-stsong.pdf', f'{OUT}/{decl}.scan-gray200.pdf', 200, 'gray', 11)


if __name__ == '__main__':
    sys.exit(main())
