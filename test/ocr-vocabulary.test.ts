import { describe, expect, it } from 'vitest';
import { DECISIVE_GAIN, hasStrayGlyph, likeliestBlend, likelihoodGain, parseVocabulary, repairWithConfusions, repairWithVocabulary, vocabulary } from '../src/ingest/ocr-vocabulary.js';

const doubtAt = (text: string, at: number[], doubt = 0.5): number[] => Array.from(text).map((_, i) => (at.includes(i) ? doubt : 0.97));

describe('the vocabulary shipped in src/ingest/data', () => {
  it('holds jieba words of two and three glyphs and glyphs alike in print', () => {
    const { words, alike } = vocabulary();
    expect(words.size).toBeGreaterThan(150_000);
    for (const w of ['车辆', '志愿', '响应', '申领', '成本']) expect(words.has(w)).toBe(true);
    expect(words.has('东辆')).toBe(false);
    // 东 prints like 车, 感 like 愿, 喇 like 响.
    expect(alike('东').map((a) => a.glyph)).toContain('车');
    expect(alike('感').map((a) => a.glyph)).toContain('愿');
    expect(alike('喇').map((a) => a.glyph)).toContain('响');
  });
  it('parses its text formats', () => {
    const v = parseVocabulary('车辆3\n东4\nnot a line\n', '东 车75 布73\n');
    expect([...v.words]).toEqual([['车辆', 3], ['东', 4]]);
    expect(v.alike('东')).toEqual([{ glyph: '车', likeness: 0.75 }, { glyph: '布', likeness: 0.73 }]);
  });
});

describe('a stray glyph: doubtful, and in no word with its neighbours', () => {
  it('finds a misread glyph read unsure', () => {
    expect(hasStrayGlyph('完成东辆报废及时率', doubtAt('完成东辆报废及时率', [2]), 0.9)).toBe(true);
  });
  it('leaves a glyph read surely, a glyph in a word and a common glyph on its own', () => {
    expect(hasStrayGlyph('完成东辆报废及时率', doubtAt('完成东辆报废及时率', []), 0.9)).toBe(false);
    expect(hasStrayGlyph('完成车辆报废及时率', doubtAt('完成车辆报废及时率', [2]), 0.9)).toBe(false);
    // 的 is a word alone.
    expect(hasStrayGlyph('项目的各项', doubtAt('项目的各项', [2]), 0.9)).toBe(false);
  });
});

describe('which of two readings of the same print reads likelier', () => {
  it('prefers words to glyphs that make none', () => {
    expect(likelihoodGain('社保精准扩面宣传材料印制准傅率', '社保精准扩面宣传材料印制准确率')!).toBeGreaterThanOrEqual(DECISIVE_GAIN);
    expect(likelihoodGain('可持续影响指标', '可持续及响指标')!).toBeLessThanOrEqual(-DECISIVE_GAIN);
  });
  it('does not compare readings of different numbers of glyphs', () => {
    expect(likelihoodGain('年初预算数', '年初算数')).toBeNull();
  });
  it('does not let a common glyph outweigh a rarer one (到 for 云)', () => {
    expect(Math.abs(likelihoodGain('“云桌面”虚拟终端', '“到桌面”虚拟终端')!)).toBeLessThan(DECISIVE_GAIN);
  });
  it('blends two readings glyph by glyph where each misread what the other read right', () => {
    expect(likeliestBlend('完成东辆报废及时率', '完成车辆报度及时率')).toEqual({
      text: '完成车辆报废及时率',
      fromB: [false, false, true, false, false, false, false, false, false],
    });
    expect(likeliestBlend('完成车辆', '完成车辆')).toBeNull();
    expect(likeliestBlend('完成车辆', '完成车')).toBeNull();
  });
});

describe('repair of a stray glyph by one like it that makes a word', () => {
  it('replaces a doubtful stray glyph', () => {
    expect(repairWithVocabulary('志感服务覆盖数', doubtAt('志感服务覆盖数', [1]))).toBe('志愿服务覆盖数');
    expect(repairWithVocabulary('应急喇应机制', doubtAt('应急喇应机制', [2]))).toBe('应急响应机制');
  });
  it('leaves a glyph read surely, and one whose word would need a doubtful neighbour', () => {
    expect(repairWithVocabulary('志感服务覆盖数', doubtAt('志感服务覆盖数', []))).toBe('志感服务覆盖数');
    // 志语者: 语 is itself doubtful, so 语音 is no word to go by.
    expect(repairWithVocabulary('志语者开展', doubtAt('志语者开展', [1, 2]))).toBe('志语者开展');
  });
  it('leaves text the vocabulary reads no likelier with a replacement', () => {
    expect(repairWithVocabulary('实际完成值', doubtAt('实际完成值', [4]))).toBe('实际完成值');
  });
});

describe('repair of a stray glyph by one tesseract reads it for on degraded print', () => {
  // 常 was printed ten times and read as 党 twice; 党 printed 90 times, read right each time.
  const WORDS = '日常4\n常4\n党4\n日4\n党员4\n';
  const CONFUSIONS = (常: number) => `党 尝7 常${常}\n= 常 ${10 - 常}\n= 党 90\n`;

  it('parses its text format: what each glyph read stood for, and how often each glyph is read right, smoothed by ten readings', () => {
    const v = parseVocabulary(WORDS, '', CONFUSIONS(2) + '= 的12\n= 了 x\n=\n\n');
    // Shares over the glyph's readings plus ten: 尝 read 7 times (all as 党), 常 10 times.
    expect(v.misread('党')).toEqual([
      { glyph: '尝', share: 7 / 17 },
      { glyph: '常', share: 2 / 20 },
    ]);
    expect(v.misread('日')).toEqual([]);
    // Lines that are no entry (= 的12, = 了 x) count for nothing.
    expect(v.misread('=')).toEqual([]);
    // Read right: all glyphs' share (98 of 107 readings) for the ten readings added.
    const all = 98 / 107;
    expect(v.readRight('党')).toBeCloseTo((90 + 10 * all) / 100, 12);
    expect(v.readRight('常')).toBeCloseTo((8 + 10 * all) / 20, 12);
    expect(v.readRight('疝')).toBeCloseTo(all, 12);
    expect(v.readRight('了')).toBeCloseTo(all, 12);
  });

  it('replaces a doubtful glyph in no word by one read as it that makes a word', () => {
    const v = parseVocabulary(WORDS, '', CONFUSIONS(2));
    expect(repairWithConfusions('日党', [0.97, 0.94], v)).toBe('日常');
  });

  it('weighs how seldom the glyph is read so: a confusion seen once in 100,000 readings does not outweigh the word', () => {
    const rare = parseVocabulary(WORDS, '', '党 常1\n= 常 99999\n= 党 90\n');
    expect(repairWithConfusions('日党', [0.97, 0.94], rare)).toBe('日党');
  });

  it('does not take a glyph printed once and read once so for a sure confusion', () => {
    // 胚 printed once, read as 且 (share 1 unsmoothed: 胚子 would win by 1.5); 日 read as 且 once in
    // 300. Smoothed, 胚子 comes within a power of ten of 日子 (1/11 against 1/310), and the glyph stays.
    const v = parseVocabulary('日子4\n胚子3\n且4\n子4\n', '', '且 胚1 日1\n= 日 299\n= 且 90\n');
    expect(repairWithConfusions('且子', [0.9, 0.97], v)).toBe('且子');
  });

  it('takes the likeliest of two confusions only a power of ten or more ahead of the other', () => {
    const table = (常: number, 子: number) => `党 常${常} 子${子}\n= 常 ${30 - 常}\n= 子 ${30 - 子}\n= 党 90\n`;
    // Alike in words and in how often each is read as 党: a guess between two.
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary('日常4\n日子4\n日4\n党4\n', '', table(2, 2)))).toBe('日党');
    // 常 read as 党 twice as often (0.3 of a power of ten): still within one.
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary('日常4\n日子4\n日4\n党4\n', '', table(2, 1)))).toBe('日党');
    // 日常 a hundred times commoner than 日子: two powers of ten ahead.
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary('日常4\n日子2\n日4\n党4\n', '', table(2, 2)))).toBe('日常');
    // A second candidate below the gain asked for still makes it a guess: 日常 ahead of the text as
    // read by 2.25 powers of ten, 日子 by 1.78, within one of it.
    const rare = '日常1\n日子1\n日4\n党4\n';
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary(rare, '', '党 常90\n= 党 900\n'))).toBe('日常');
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary(rare, '', '党 常90 子30\n= 子 60\n= 党 900\n'))).toBe('日党');
  });

  it('reads a malformed table without taking a confusion for sure: no read-right counts, counts of 0, a glyph listed twice', () => {
    // Without = lines every glyph read is taken as read right: 常 read as 党 twice in 12 (2 + 10) readings stays a confusion.
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary('日常4\n日4\n党4\n', '', '党 常2\n'))).toBe('日常');
    expect(parseVocabulary('', '', '党 常0 子1\n').misread('党').map((c) => c.glyph)).toEqual(['子']);
    expect(parseVocabulary('', '', '党 常2\n党 常3\n= 常 5\n').misread('党')).toEqual([{ glyph: '常', share: 5 / 20 }]);
  });

  it('leaves 出县 of the shipped table as read: 具 and 息 are both read as 县, and 出具 and 出息 both words', () => {
    expect(repairWithConfusions('出县', [0.97, 0.94])).toBe('出县');
  });

  it('leaves a glyph read surely, one in a word and one tesseract was never seen to read for another', () => {
    const v = parseVocabulary(WORDS, '', CONFUSIONS(2));
    expect(repairWithConfusions('日党', [0.97, 0.96], v)).toBe('日党');
    expect(repairWithConfusions('党员', [0.9, 0.97], v)).toBe('党员');
    expect(repairWithConfusions('日党', [0.97, 0.94], parseVocabulary(WORDS, '', ''))).toBe('日党');
  });

  it('repairs with the table shipped in src/ingest/data (a photocopy\'s 日党 at 0.94)', () => {
    expect(vocabulary().misread('党').map((c) => c.glyph)).toContain('常');
    const text = '不影响日党业务工作开展';
    expect(repairWithConfusions(text, doubtAt(text, [4], 0.94))).toBe('不影响日常业务工作开展');
  });
});
