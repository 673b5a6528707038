import { it } from 'vitest';
import { startChat } from '../tests/helpers/chat.js';
import { freshPgStore } from '../tests/helpers/pg.js';
import { aLeadershipTeam } from '../tests/helpers/units.js';
it('prof', async () => {
  for (let i = 0; i < 3; i++) {
    let t = performance.now();
    const s = await freshPgStore();
    const t1 = performance.now() - t; t = performance.now();
    await s.drop();
    const t2 = performance.now() - t; t = performance.now();
    const chat = await startChat();
    const t3 = performance.now() - t; t = performance.now();
    await aLeadershipTeam(chat);
    const t4 = performance.now() - t; t = performance.now();
    for (let k = 0; k < 20; k++) await chat.as('王书记').in('党办群').say('/进度');
    const t5 = performance.now() - t; t = performance.now();
    await chat.stop();
    console.log({ create: t1 | 0, drop: t2 | 0, startChat: t3 | 0, team: t4 | 0, progress20: t5 | 0, stop: (performance.now() - t) | 0 });
  }
}, 60000);
