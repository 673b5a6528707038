/** Strings of the command line (operator-facing). */
export const cliText = {
  usage: () =>
    [
      '用法：shenghuohui <命令>',
      '  start                      启动机器人（未配置平台时打开本地终端聊天）',
      '  chat [--demo]              本地终端聊天（--demo 载入示例单位）',
      '  remind --preview [--date 2026-12-14]   预览某天要发的提醒',
      '  roster import <文件> --unit <单位>      导入通讯录（CSV/XLSX）',
      '  webhook set --unit <单位> --channel <wecom|dingtalk> --key <key> [--secret <SEC…>]',
      '  webhook remove --unit <单位> --channel <wecom|dingtalk>',
      '  export <items|summary|talks|leave> --unit <单位> [--format csv|xlsx] [--out 文件]',
    ].join('\n'),
  unknownCommand: (p: { typed: string }) => `没有“${p.typed}”这个命令。运行 shenghuohui help 查看用法。`,
  platformsStarted: (p: { channels: string[] }) => `机器人已启动：${p.channels.join('、')}。按 Ctrl+C 停止。`,
};
