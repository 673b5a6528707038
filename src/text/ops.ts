/** Operator-facing strings of the health server and the database tools (`shenghuohui db …`). */
export const healthText = {
  listening: (p: { url: string }) => `健康检查和监控指标已开启：${p.url}/healthz、${p.url}/metrics`,
  needsPort: () => '--health 需要先设置端口，例如：HEALTH_PORT=9464 npm run cli -- chat --health',
  portFailed: (p: { host: string; port: number; reason: string }) =>
    `健康检查端口 ${p.host}:${p.port} 无法监听（${p.reason}）。请换一个 HEALTH_PORT，或先停掉占用该端口的程序。`,
};

/** `shenghuohui db migrate-from <file>`: copying a SQLite store into an empty (PostgreSQL) database. */
export const migrateText = {
  usage: () =>
    '用法：shenghuohui db migrate-from <SQLite 数据库文件>；目标数据库由 DATABASE_URL 指定，例如：DATABASE_URL=postgres://bot@127.0.0.1/shenghuohui shenghuohui db migrate-from ./data/shenghuohui.db',
  sourceMissing: (p: { file: string }) => `找不到源数据库文件 ${p.file}。请写 SQLite 数据库文件的路径，例如：shenghuohui db migrate-from ./data/shenghuohui.db`,
  sourceUnreadable: (p: { file: string; reason: string }) => `读不了 ${p.file}：它不是 SQLite 数据库，或没有读取权限（${p.reason}）。`,
  notAStore: (p: { file: string }) => `${p.file} 不是生活会助手的数据库（里面没有迁移记录）。请确认文件路径。`,
  sourceNotMigrated: (p: { file: string; missing: string[] }) =>
    `源数据库 ${p.file} 还有 ${p.missing.length} 个迁移没有执行（${p.missing.join('、')}），没有复制任何数据。请先用本版本在它上面启动一次机器人（DATABASE_URL=${p.file} npm start，启动后即可退出），再迁移。`,
  sourceNewer: (p: { file: string; unknown: string[] }) =>
    `源数据库 ${p.file} 由更新版本的生活会助手写入（本程序不认识的迁移：${p.unknown.join('、')}），没有复制任何数据。请用同一版本或更新的版本迁移。`,
  sameStore: (p: { file: string }) => `源数据库和目标数据库是同一个文件（${p.file}）。请把 DATABASE_URL 设为新建的 PostgreSQL 数据库。`,
  targetNotEmpty: (p: { target: string; tables: string[] }) =>
    `目标数据库 ${p.target} 不是空的（${p.tables.slice(0, 5).join('、')}${p.tables.length > 5 ? ` 等 ${p.tables.length} 张表` : ''}已有数据），没有复制任何数据。请换一个新建的空数据库（例如 createdb shenghuohui），或确认 DATABASE_URL 没有写错。`,
  copying: (p: { source: string; target: string }) => `正在把 ${p.source} 复制到 ${p.target}（在一个事务里：出错时目标数据库不留下任何数据）……`,
  table: (p: { table: string; rows: number }) => `  ${p.table.padEnd(22)} ${p.rows} 行`,
  done: (p: { tables: number; rows: number; target: string }) =>
    `复制完成：${p.tables} 张表共 ${p.rows} 行，每张表的行数都与源数据库一致。现在可以用 DATABASE_URL 指向 ${p.target} 启动机器人。`,
  countMismatch: (p: { table: string; source: number; target: number }) =>
    `表 ${p.table} 的行数不一致：源数据库 ${p.source} 行，目标数据库 ${p.target} 行。已全部撤销，目标数据库没有写入任何数据。`,
};
