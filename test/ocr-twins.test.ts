import { describe, expect, it } from 'vitest';
import { reconcileTwins } from '../src/parse/ocr-twins.js';

// A 申报表's 项目总目标 and 年度总目标, printed alike, as two readings misread them in other places.
const PRINTED = '年内完成对办公用房及附属设施的更新维修工作，保障中心办公房的稳定运行，办公房及附属设施维修计划完成率均达到100%；通过对9块户外招牌的更新维修，确保其安全性。';

describe('reconcileTwins (one text printed twice, read twice)', () => {
  it('puts each reading\'s misread glyphs right from the other where the vocabulary decides', () => {
    const first = PRINTED.replace('办公用房及', '办公用丽及').replace('；', ';');
    const second = PRINTED.replace('稳定运行', '稳定运竹');
    expect(reconcileTwins(first, second)).toEqual([PRINTED, PRINTED]);
  });

  it('leaves a place where both readings make words (似的 is commoner than 房的, and no misreading for it)', () => {
    const first = PRINTED.replace('办公房的稳定', '办公似的稳定');
    expect(reconcileTwins(first, PRINTED)).toEqual([first, PRINTED]);
  });

  it('leaves figures and glyphs only one reading has: the prints may differ there', () => {
    const year = PRINTED.replace('100%', '90%');
    expect(reconcileTwins(year, PRINTED)).toEqual([year, PRINTED]);
    const extra = PRINTED.replace('年内完成', '上年内完成');
    expect(reconcileTwins(extra, PRINTED)).toEqual([extra, PRINTED]);
  });

  it('leaves places of two glyphs or more (a name the vocabulary lacks) and numerals as read', () => {
    const place = PRINTED.replace('保障中心', '保障闵行');
    const other = PRINTED.replace('保障中心', '保障全市');
    expect(reconcileTwins(other, place)).toEqual([other, place]);
    const years = PRINTED.replace('年内完成', '三年内完成');
    const two = PRINTED.replace('年内完成', '两年内完成');
    expect(reconcileTwins(years, two)).toEqual([years, two]);
  });

  it('settles marks by what OCR does to them: full-width over ASCII, stray ASCII marks and a leading bracket dropped, a lost full-width mark restored', () => {
    // 、 read as ' in one and : in the other print would leave both wrong; here each reading has one mark right.
    const first = `《${PRINTED.replace('附属设施的', '附属设施-的').replace('，确保', ':确保')}`;
    const second = PRINTED.replace('工作，保障', '工作保障');
    expect(reconcileTwins(first, second)).toEqual([PRINTED, PRINTED]);
  });

  it('keeps an ASCII mark beside a digit, where it may belong to a figure (1-2 against 12), and a bracket or quote the other reading may have lost', () => {
    const range = PRINTED.replace('通过对9块', '通过对1-9块');
    const joined = PRINTED.replace('通过对9块', '通过对19块');
    expect(reconcileTwins(range, joined)).toEqual([range, joined]);
    // An operator one reading lost (达到=100% against 达到100%).
    const stated = PRINTED.replace('达到100%', '达到=100%');
    expect(reconcileTwins(stated, PRINTED)).toEqual([stated, PRINTED]);
    const bracketed = PRINTED.replace('户外招牌', '户外(招牌');
    expect(reconcileTwins(bracketed, PRINTED)).toEqual([bracketed, PRINTED]);
    const numbered = `（1）${PRINTED}`;
    expect(reconcileTwins(numbered, `1）${PRINTED}`)).toEqual([numbered, `1）${PRINTED}`]);
    const titled = `《上海市公共文化服务保障与促进条例》${PRINTED}`;
    expect(reconcileTwins(titled, titled.slice(1))).toEqual([titled, titled.slice(1)]);
    // A slash in a unit, a hyphen between letters: printed marks the other reading lost.
    const perVisit = PRINTED.replace('户外招牌', '户外人/次');
    expect(reconcileTwins(perVisit, PRINTED.replace('户外招牌', '户外人次'))).toEqual([perVisit, PRINTED.replace('户外招牌', '户外人次')]);
    const wifi = PRINTED.replace('户外招牌', '户外Wi-Fi');
    expect(reconcileTwins(wifi, PRINTED.replace('户外招牌', '户外WiFi'))).toEqual([wifi, PRINTED.replace('户外招牌', '户外WiFi')]);
    const quoted = PRINTED.replace('户外招牌', '户外"招牌');
    expect(reconcileTwins(quoted, PRINTED)).toEqual([quoted, PRINTED]);
    // A mark against a mark beside a full-width digit is a figure's (１.５ against １、５), as beside an ASCII one.
    const [pointed, listed] = [PRINTED.replace('通过对9块', '通过对１.５块'), PRINTED.replace('通过对9块', '通过对１、５块')];
    expect(reconcileTwins(pointed, listed)).toEqual([pointed, listed]);
  });

  it('keeps a lone digit only one reading has before a counting word, and drops a lone small letter only one has', () => {
    const counted = PRINTED.replace('户外招牌', '户外招牌1次');
    expect(reconcileTwins(counted, PRINTED.replace('户外招牌', '户外招牌次'))).toEqual([counted, counted]);
    const speck = PRINTED.replace('100%；', '100%o；');
    expect(reconcileTwins(speck, PRINTED)).toEqual([PRINTED, PRINTED]);
    // Inside a word a digit may be a speck read as one: left as read.
    const inWord = PRINTED.replace('办公用房及', '办公1用房及');
    expect(reconcileTwins(inWord, PRINTED)).toEqual([inWord, PRINTED]);
    // Beside a digit, a letter or a bracket, a letter or digit may be printed: left as read.
    const lettered = PRINTED.replace('通过对9块', '通过对9a块');
    expect(reconcileTwins(lettered, PRINTED)).toEqual([lettered, PRINTED]);
    const item = PRINTED.replace('户外招牌', '户外招牌(a)');
    expect(reconcileTwins(item, PRINTED.replace('户外招牌', '户外招牌()'))).toEqual([item, PRINTED.replace('户外招牌', '户外招牌()')]);
    const capital = PRINTED.replace('户外招牌', '户外A招牌');
    expect(reconcileTwins(capital, PRINTED)).toEqual([capital, PRINTED]);
  });

  it('drops a glyph tesseract reads from nothing, only one reading has, in no word with its neighbours', () => {
    const filler = PRINTED.replace('更新维修工作', '更新维上修工作');
    expect(reconcileTwins(filler, PRINTED)).toEqual([PRINTED, PRINTED]);
    const doubled = PRINTED.replace('户外招牌', '户外和和招牌');
    expect(reconcileTwins(doubled, PRINTED.replace('户外招牌', '户外和招牌'))).toEqual([PRINTED.replace('户外招牌', '户外和招牌'), PRINTED.replace('户外招牌', '户外和招牌')]);
    // Between words (质量和效率, 完成了验收) or in a word (上年, 人员) it may be printed where the other reading lost it: left as read.
    for (const [printed, lost] of [['质量和效率', '质量效率'], ['完成了验收', '完成验收']] as const) {
      const [a, b] = [PRINTED.replace('稳定运行', printed), PRINTED.replace('稳定运行', lost)];
      expect(reconcileTwins(a, b)).toEqual([a, b]);
    }
    const inWord = PRINTED.replace('保障中心', '保障人员中心');
    expect(reconcileTwins(inWord, PRINTED.replace('保障中心', '保障员中心'))).toEqual([inWord, PRINTED.replace('保障中心', '保障员中心')]);
    // Any other glyph only one reading has is left as read.
    const other = PRINTED.replace('更新维修工作', '更新维县修工作');
    expect(reconcileTwins(other, PRINTED)).toEqual([other, PRINTED]);
  });

  it('takes a % after a digit over two glyphs no figure ends in (1009e, 95?6), and leaves a figure against a figure', () => {
    for (const misread of ['1009e；', '100?6；']) {
      expect(reconcileTwins(PRINTED.replace('100%；', misread), PRINTED)).toEqual([PRINTED, PRINTED]);
    }
    const figure = PRINTED.replace('100%；', '10096；');
    expect(reconcileTwins(figure, PRINTED)).toEqual([figure, PRINTED]);
  });

  it('reconciles readings as far apart as a photocopy leaves them (a misread glyph in every twenty)', () => {
    const first = PRINTED.replace('办公用房及', '办公用丽及').replace('稳定运行', '稳定运竹').replace('；', ';').replace('，确保', ':确保');
    const second = PRINTED.replace('工作，保障', '工作保障').replace('附属设施的', '附属设施-的');
    expect(Array.from(PRINTED).length * 0.04).toBeLessThan(6); // six places apart: more than 4 %
    expect(reconcileTwins(first, second)).toEqual([PRINTED, PRINTED]);
  });

  it('leaves two different texts as read', () => {
    const other = '通过项目开展，确保养老金按时足额发放，方便享受本市社保待遇人员在居住地就近领取养老金。';
    const garbled = PRINTED.replace('办公用房及', '办公用丽及');
    expect(reconcileTwins(garbled, other)).toEqual([garbled, other]);
    // Alike at the start, then apart for more than a few glyphs: not one text.
    const annual = `${PRINTED.slice(0, 20)}，并完成年度信息系统的升级改造和全部运维工作，保障运行。`;
    expect(reconcileTwins(garbled.slice(0, 30), annual)).toEqual([garbled.slice(0, 30), annual]);
  });
});
