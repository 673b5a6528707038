/**
 * User-facing text of the WeCom adapter and of the WeCom contact-export import.
 * @example wecom['wecom.continued']({ title: '会前提醒' }) // '会前提醒（续）'
 */
export const wecom = {
  /** Title line of the second and later parts of a message that was too long for one WeCom message. */
  'wecom.continued': (p: { title: string }) => (p.title ? `${p.title}（续）` : '（续）'),
  'roster.unsupportedType': (p: { file: string }) =>
    `不支持的文件类型：${p.file}。请导入企业微信管理后台导出的 .xlsx 文件，或 UTF-8 编码的 .csv 文件。`,
  'roster.notUtf8': (p: { file: string }) =>
    `${p.file} 不是 UTF-8 编码（可能是 GBK）。请在 Excel 中“另存为 → CSV UTF-8（逗号分隔）”，或直接导入 .xlsx 文件。`,
  'roster.noNameColumn': (p: { file: string }) =>
    `${p.file} 里没有找到“姓名”列。请使用企业微信管理后台「通讯录 → 批量导入/导出 → 导出成员」得到的文件，` +
    `或在表头写上：姓名、账号、手机、部门、职务。`,
  'roster.noRows': (p: { file: string }) => `${p.file} 里没有成员数据：表头下面至少要有一行填了姓名。`,
};

export type WecomTextKey = keyof typeof wecom;

/**
 * Column headers recognised in a contact export (WeCom admin console → 通讯录 → 导出成员, or a
 * hand-made sheet). Compared after removing spaces, `*`, colons and bracketed notes, lower-cased.
 */
export const rosterHeaders = {
  name: ['姓名', '名字', '成员姓名', 'name'],
  userId: ['账号', '帐号', '账户', '帐户', '成员账号', '成员帐号', 'userid', '用户id', '企业微信账号', '企业微信帐号'],
  mobile: ['手机', '手机号', '手机号码', '移动电话', '联系电话', 'mobile', 'phone'],
  department: ['部门', '所在部门', '所属部门', 'department'],
  role: ['角色', 'role'],
  /** Read as the role only when there is no 角色 column. */
  roleFallback: ['职务', '党内职务', '岗位', '职位', 'position', 'title'],
} as const satisfies Record<string, readonly string[]>;
