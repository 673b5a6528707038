/**
 * Builds the district file in its own process and writes `<file>.json` (units and open items) next
 * to it, so the measuring process starts like a freshly started bot: no seeding garbage in its heap,
 * no JIT state from half a million inserts.
 * Usage: node --import tsx bench/lib/build-district.ts <file> '<size json>'
 */
import fs from 'node:fs';
import { buildDistrict, type DistrictSize } from './district.js';

const [file, sizeJson] = process.argv.slice(2);
if (!file || !sizeJson) throw new Error('usage: build-district.ts <file> <size json>');
const district = await buildDistrict(file, JSON.parse(sizeJson) as DistrictSize);
fs.writeFileSync(`${file}.json`, JSON.stringify(district));
