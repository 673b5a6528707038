#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx (no build step): `shenghuohui chat`, `npm run cli -- …`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
