/** Strings of the command line (operator-facing). */
export const cliText = {
  usage: () =>
    [
      '用法：shenghuohui <命令>',
      '  start                      启动机器人（未配置平台时打开本地终端聊天）',
      '  chat [--demo] [--health]   本地终端聊天（--demo 载入示例单位；--health 同时开启 HEALTH_PORT 上的健康检查）',
      '  remind --preview [--date 2026-12-14]   预览某天还要发的提醒和每周督导汇总',
      '  roster import <文件> --unit <单位>      导入通讯录（CSV/XLSX）',
      '  webhook set --unit <单位> --channel <wecom|dingtalk> --key <key> [--secret <SEC…>]',
      '  webhook remove --unit <单位> --channel <wecom|dingtalk>',
      '  export <items|summary|talks|leave> --unit <单位> [--format csv|xlsx] [--out 文件]',
      '  dashboard link --person <姓名>           生成看板登录链接（需设置 DASHBOARD_PORT 或 DASHBOARD_URL）',
      '  db migrate-from <SQLite 文件>           把 SQLite 数据库复制到 DATABASE_URL 指定的空数据库（PostgreSQL）',
    ].join('\n'),
  unknownCommand: (p: { typed: string }) => `没有“${p.typed}”这个命令。运行 shenghuohui help 查看用法。`,
  chatUsage: (p: { typed: string }) => `chat 不带参数“${p.typed}”。用法：shenghuohui chat [--demo] [--health]；要换数据库文件，请设置 DATABASE_URL，例如：DATABASE_URL=./data/其他.db npm run cli -- chat`,
  failed: (p: { sub: string }) => `shenghuohui ${p.sub} 出错了，已写入日志（LOG_FILE 或标准错误输出）。请检查配置和数据库文件后重试。`,
  remindUsage: () => '用法：shenghuohui remind --preview [--date 2026-12-14]',
  badDate: (p: { typed: string }) => `看不懂日期“${p.typed}”，例如：--date 2026-12-14`,
  previewSent: (p: { date: string; reminders: number; messages: number }) =>
    `${p.date} 机器人已发出 ${p.reminders} 条提醒（${p.messages} 条消息），下面不再列出。`,
  previewDigestSent: (p: { date: string }) => `${p.date} 的每周督导汇总已发出，下面不再列出。`,
  previewOthersSent: (p: { date: string; count: number }) => `${p.date} 的部署督促和民主评议提醒已发出 ${p.count} 条，下面不再列出。`,
  previewNothingMore: (p: { date: string }) => `${p.date} 没有其他要发送的消息。`,
  rosterUsage: () => '用法：shenghuohui roster import <通讯录.csv|.xlsx> --unit <单位名称> [--platform wecom|dingtalk] [--role 党员]',
  fileUnreadable: (p: { file: string }) => `读不了文件 ${p.file}，请检查路径和权限。`,
  unknownUnit: (p: { name: string }) => `没有名为“${p.name}”的单位。请先在单位群里发送 /单位 设置 ${p.name}。`,
  rosterImported: (p: { unit: string; added: number; linked: number }) => `已导入到“${p.unit}”：新增 ${p.added} 人，已有 ${p.linked} 人（账号已绑定）。`,
  rosterSkipped: (p: { name: string; reason: 'duplicateName' | 'idTaken' }) =>
    p.reason === 'duplicateName' ? `跳过 ${p.name}：文件里有重名且没有账号，无法区分。` : `跳过 ${p.name}：该账号已绑定给名单里的另一个人。`,
  webhookUsage: () => '用法：shenghuohui webhook set --unit <单位> --channel <wecom|dingtalk> --key <key 或 - 从标准输入读取> [--secret SEC…]；shenghuohui webhook remove --unit <单位> --channel <wecom|dingtalk>',
  webhookSaved: (p: { unit: string; platform: string; signed: boolean }) => `已为“${p.unit}”保存${p.platform === 'wecom' ? '企业微信群机器人' : '钉钉自定义机器人'}${p.signed ? '（加签）' : ''}，提醒将推送到该群。`,
  webhookRemoved: (p: { unit: string; platform: string }) => `已删除“${p.unit}”的${p.platform === 'wecom' ? '企业微信群机器人' : '钉钉自定义机器人'}。`,
  platformsStarted: (p: { channels: string[] }) => `机器人已启动：${p.channels.join('、')}。按 Ctrl+C 停止。`,
};
