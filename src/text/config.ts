/** The bot's display name unless BOT_NAME says otherwise. */
export const DEFAULT_BOT_NAME = '生活会助手';

/** Messages about configuration problems (printed at start-up). */
export const configText = {
  header: (problems: string[]) => `配置有误：\n${problems.map((p) => `- ${p}`).join('\n')}`,
  issue: (p: { path: string; message: string }) => `${p.path}: ${p.message}（请对照 .env.example 修改）`,
  pair: (p: { a: string; b: string }) => `${p.a} 和 ${p.b} 要同时填写`,
};
