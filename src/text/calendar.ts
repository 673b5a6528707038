/**
 * Words and messages of the operator's holiday file (config `HOLIDAYS_FILE`), read by
 * `src/scheduler/calendar.ts`. The file format is documented in `docs/holidays.example.txt`.
 * @example calendarText.badDate({ path: 'holidays.txt', line: 3, date: '2027-02-30' })
 */

/** The keywords of one line of the holiday file: `2027-02-10 休`, `2027-02-07 班`, `2027-02-06~2027-02-12 休`. */
export const calendarFileWords = {
  /** A day off (holiday), even if it is a weekday. */
  holiday: '休',
  /** A working day, even if it is a Saturday or Sunday (调休补班). */
  workday: '班',
  /** Separators of a range of days, both ends included. */
  rangeSeparators: ['~', '～', '至'],
  /** Starts a comment that runs to the end of the line. */
  comment: '#',
} as const;

const howToWrite =
  '每行写一个日期和“休”或“班”，例如：2027-02-10 休、2027-02-07 班；' +
  '连续几天可以写成 2027-02-06~2027-02-12 休；# 后面是注释。格式说明见 docs/holidays.example.txt。';

const where = (p: { path: string; line: number }) => `节假日文件 ${p.path} 第 ${p.line} 行`;

const unreadableReasons: Record<string, string> = {
  ENOENT: '文件不存在',
  EACCES: '没有读取权限',
  EPERM: '没有读取权限',
  EISDIR: '这是一个文件夹，不是文件',
};

export const calendarText = {
  fileUnreadable: (p: { path: string; code?: string }) =>
    `读不到节假日文件 ${p.path}（${unreadableReasons[p.code ?? ''] ?? p.code ?? '未知原因'}）。请检查配置项 HOLIDAYS_FILE 填写的路径；不需要自定义节假日时，删掉这一项即可。`,
  badLine: (p: { path: string; line: number; text: string }) =>
    `${where(p)}“${p.text}”看不懂。${howToWrite}`,
  badDate: (p: { path: string; line: number; date: string }) =>
    `${where(p)}：${p.date} 不是有效的日期，请按“年-月-日”填写，例如 2027-02-10。`,
  rangeBackwards: (p: { path: string; line: number; from: string; to: string }) =>
    `${where(p)}：结束日期 ${p.to} 早于开始日期 ${p.from}，请写成 ${p.to}~${p.from}。`,
  rangeTooLong: (p: { path: string; line: number; from: string; to: string; maxDays: number }) =>
    `${where(p)}：${p.from}~${p.to} 超过 ${p.maxDays} 天，请检查年份是否写错。`,
  conflict: (p: { path: string; date: string; holidayLine: number; workdayLine: number }) =>
    `节假日文件 ${p.path}：${p.date} 在第 ${p.holidayLine} 行写成“休”，在第 ${p.workdayLine} 行又写成“班”，请只保留一行。`,
};
