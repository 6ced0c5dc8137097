// The CLI's entry, bundled into one file by `npm run build` (build/build-app.mjs)
// and run by tunnel-helper/bin/wiredesk, which may have started `up`'s engine
// already (netconfig/spare-process.ts).
import { join } from 'node:path';
import { ENGINE_ENTRY } from '../helper/netconfig/engine.js';
import { earlySpareFromEnv } from '../helper/netconfig/spare-process.js';
import { ownAppRoot } from '../install/layout.js';
import { main } from './wiredesk.js';

void main(process.argv.slice(2), earlySpareFromEnv(join(ownAppRoot(), ENGINE_ENTRY)));
