/** Operator-facing strings of the health server and the database tools (`shenghuohui db …`). */
export const healthText = {
  listening: (p: { url: string }) => `健康检查和监控指标已开启：${p.url}/healthz、${p.url}/metrics`,
  needsPort: () => '--health 需要先设置端口，例如：HEALTH_PORT=9464 npm run cli -- chat --health',
  portFailed: (p: { host: string; port: number; reason: string }) =>
    `健康检查端口 ${p.host}:${p.port} 无法监听（${p.reason}）。请换一个 HEALTH_PORT，或先停掉占用该端口的程序。`,
};
