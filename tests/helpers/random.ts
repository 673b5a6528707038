/**
 * A small seeded PRNG (mulberry32) and generators of hostile chat input, so a failing case can be
 * reproduced from its seed and index.
 */
export interface Rng {
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(list: readonly T[]): T;
  chance(p: number): boolean;
}

export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (list) => list[Math.floor(next() * list.length)]!,
    chance: (p) => next() < p,
  };
}

const RANGES: Array<[number, number]> = [
  [0x20, 0x7e], // ASCII
  [0x4e00, 0x4fff], // CJK
  [0xff01, 0xff5e], // full-width ASCII
  [0x3000, 0x3003], // ideographic space and marks
  [0x2000, 0x200f], // odd spaces, zero-width, direction marks
  [0x0000, 0x001f], // control characters
  [0x202a, 0x202e], // bidi overrides
  [0xd800, 0xdfff], // lone surrogates
];

/** A string of `length` characters drawn from many Unicode ranges, emoji included. */
export function randomText(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    if (rng.chance(0.05)) s += rng.pick(['😀', '🎉', '👍🏻', '🇨🇳', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}']);
    else {
      const [lo, hi] = rng.pick(RANGES);
      s += String.fromCharCode(lo + rng.int(hi - lo + 1));
    }
  }
  return s;
}

export const HOSTILE: readonly string[] = [
  '', ' ', '\t\n\r', '　', '\u2005', '\u200b', '\ufeff', '\u0000', '\u0000/进度', '/进度\u0000', '\u202e/进度',
  'x'.repeat(10_000), `/请假 ${'假'.repeat(10_000)}`, `/${'整改 '.repeat(3_000)}`, '/' + '@'.repeat(5000),
  '😀', '/😀', '/整改 完成 😀 😀', '/请假 😀😀😀', '/谈心 @😀 面谈',
  "'; DROP TABLE unit; --", "/请假 '; DROP TABLE unit; --", "/整改 完成 1 '); DELETE FROM item; --",
  "/成员 添加 @Robert'); DROP TABLE person;-- 班子成员", '/单位 设置 x" OR "1"="1', '/会议 主题 %s%s%n%x', '/请假 ${process.exit()}',
  '"', '“', '「', '/请假 "未闭合', '/会议 主题 「加强党性修养', "/整改 新增 @张三 '未闭合 截止 2027-01-31",
  '@', '@@@', '@ @ @', '/批准 @', '/转告 @@', '@某某 /进度', '@生活会助手', '@生活会助手 ', '＠生活会助手　／进度',
  '/', '//', '///进度', '/ 进度', '/进度/进度', '／／', '\\', '/\\', '/.', '/..', '/?', '/？？',
  '__proto__', '/__proto__', '/constructor', '/toString', '/帮助 __proto__', '/帮助 constructor',
  '/成员 添加 @黄 constructor', '/成员 添加 @__proto__ __proto__', '/会议 新建 __proto__ 2026-12-30', '/会议 新建 toString 2026-12-30',
  '/谈心 @张三 constructor', '/谈心 @张三 __proto__ 面谈', '/整改 新增 @张三 内容 toString 截止 2027-01-31', '/完成 hasOwnProperty',
  '/整改 完成 99999999999999999999 x', '/整改 完成 0 x', '/整改 完成 1e3 x', '/整改 延期 1 9999-99-99 x', '/整改 延期 1 0000-00-00 x',
  '/会议 新建 民主生活会 2026-02-30', '/会议 新建 民主生活会 1899-12-31', '/会议 新建 民主生活会 3000-01-01', '/会议 改期 99999999',
  '/请假 \ud800', '\udfff/进度', '/谈心 @张三 \ud83d', '/单位 设置 ' + '单'.repeat(300), '/成员 添加 @' + '名'.repeat(500) + ' 党员',
];

/** Words the parser knows, to build commands that get past the first check. */
export const WORDS = {
  heads: ['帮助', '单位', '成员', '我是', '会议', '进度', '完成', '谈心', '提纲', '请假', '批准', '驳回', '书面发言', '转告', '整改',
    '吃饭', '整改完成', 'xyz', '进', 'constructor', '__proto__', '稍后', '提醒'],
  subs: ['设置', '添加', '移除', '列表', '确认', '新建', '改期', '取消', '召开', '主题', '情况', '提交', '审核', '新增', '完成', '延期',
    '核实', '逾期', '查看', '我的', '时间', '提前', '升级', '未知'],
  mentions: ['@张三', '@王书记', '@李四', '@赵敏', '@刘联络员', '@不存在', '@', '@张三@李四', '@__proto__', '@😀', '@路人甲'],
  numbers: ['1', '2', '3', '4', '0', '-1', '99999999', '三', '#2', '第1号', '1.5', '１'],
  dates: ['2026-02-30', '2027-01-31', '2026-12-28', '12月28日', '1月5日', '明天', '后天', '昨天', '13/45', '0000-00-00', '20261228', '2026年13月1日', '2月29日'],
  enums: ['班子成员', '主要负责人', '党员', '预备党员', '列席', '联络员', '上级', '局长', '民主生活会', '组织生活会', '团委会', '面谈', '电话',
    '网络', '上门', '立行立改', '限期整改', '需协调', '截止', '牵头', '方案', '通知', '报告', '备案', '学习', '支委会', '已归档'],
  text: ['外出培训', '已完成', '已修订并印发', '需上级协调', "'; DROP TABLE item; --", '😀', '"', '\u0000', '　', '加强党性修养', 'x'.repeat(50)],
};
