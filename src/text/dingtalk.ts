/**
 * Text the DingTalk adapter shows to people: titles of split messages and operator hints.
 * @example dingtalk['dingtalk.partTitle']({ title: '整改进度', part: 1, total: 2 }) // 整改进度（1/2）
 */
export const dingtalk = {
  /** Title of one part when a long message is split over several DingTalk messages. */
  'dingtalk.partTitle': (p: { title: string; part: number; total: number }) =>
    `${p.title}（${p.part}/${p.total}）`,
  /** Start-up failure: the Stream gateway refused the app credentials. */
  'dingtalk.badCredentials': (p: { status: number; code?: string }) =>
    `钉钉拒绝了应用凭证（HTTP ${p.status}${p.code ? `，${p.code}` : ''}）。` +
    '请在钉钉开发者后台“凭证与基础信息”页核对 Client ID 和 Client Secret，' +
    '填入 .env 的 DINGTALK_CLIENT_ID 和 DINGTALK_CLIENT_SECRET，并确认应用已发布、机器人已选择 Stream 模式。',
};
