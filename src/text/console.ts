/** Strings of the terminal chat (meta-commands, banner). */
export const consoleText = {
  banner: (p: { db: string; user: string; chat: string; today: string }) =>
    [
      `生活会助手 · 本地终端聊天（数据库：${p.db}）`,
      `当前发言人：${p.user}，当前群：${p.chat}，日期：${p.today}`,
      '输入 /帮助 查看命令；:user <姓名> 切换发言人，:chat <群名> 切换群，:private 私聊机器人，:time <日期> [时:分] 调整时间，:点 <序号> 按卡片上的按钮，:quit 退出。',
    ].join('\n'),
  user: (p: { name: string }) => `发言人：${p.name}`,
  chat: (p: { name: string }) => `当前群：${p.name}`,
  privateMode: (p: { name: string }) => `${p.name} 正在私聊机器人（:chat <群名> 回到群里）`,
  time: (p: { at: string }) => `时间：${p.at}`,
  badTime: (p: { typed: string }) => `看不懂时间“${p.typed}”。例如：:time 2026-12-14 09:00`,
  needArg: (p: { meta: string; example: string }) => `${p.meta} 后面要写内容，例如：${p.example}`,
  unknownMeta: (p: { typed: string }) => `没有“${p.typed}”这个终端命令。可用：:user :chat :private :time :点 :quit`,
  /** `:点 <n>` / `:press <n>`: presses a card's button. */
  pressWords: ['点', 'press'] as readonly string[],
  buttons: (p: { labels: string[] }) => `按钮：${p.labels.map((l, i) => `[${i + 1}] ${l}`).join('  ')}（输入 :点 <序号> 按下）`,
  cardOutcome: (p: { outcome: string }) => `【${p.outcome}】`,
  cardUpdated: (p: { text: string }) => `卡片已更新：${p.text}`,
  noCard: () => '这里还没有带按钮的卡片。卡片发到哪个群或私聊，就在那里按（:chat <群名> 或 :private）。',
  noButton: (p: { typed: string; count: number }) => `没有按钮“${p.typed}”：这张卡片有 ${p.count} 个按钮，输入 :点 1 到 :点 ${p.count}。`,
  cardClosed: () => '这张卡片已经处理完了，没有可以按的按钮。',
  bye: () => '再见。',
  groupLabel: (p: { name: string }) => `[群 ${p.name}]`,
  privateLabel: (p: { name: string }) => `[私聊 ${p.name}]`,
  systemLabel: () => '[系统]',
  demoLoaded: (p: { unit: string; chat: string; user: string }) => `已载入示例：单位“${p.unit}”，群“${p.chat}”，当前发言人 ${p.user}。试试 /进度、/帮助。`,
};
