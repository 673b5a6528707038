import setup from '/work/wt/pg-core/tests/helpers/pg-server.ts';
import pg from 'pg';
const provided: Record<string, any> = {};
const teardown = await setup({ provide: (k: string, v: unknown) => { provided[k] = v; } } as any);
const c = new pg.Client({ connectionString: provided.pgAdminUrl }); await c.connect();
for (const strat of ['WAL_LOG', 'FILE_COPY']) {
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    await c.query(`CREATE DATABASE "x${strat}${i}" TEMPLATE "${provided.pgTemplate}" STRATEGY ${strat}`);
    const t1 = performance.now() - t; t = performance.now();
    await c.query(`DROP DATABASE "x${strat}${i}" WITH (FORCE)`);
    console.log(strat, t1.toFixed(0), (performance.now() - t).toFixed(0));
  }
}
await c.end();
await teardown();
