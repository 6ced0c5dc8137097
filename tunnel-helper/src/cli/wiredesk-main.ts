// The CLI's entry, bundled into one file by `npm run build` (build/build-app.mjs)
// and run by tunnel-helper/bin/wiredesk, which may have started `up`'s engine
// already (netconfig/spare-process.ts).
import { join } from 'node:path';
import { ENGINE_ENTRY } from '../helper/netconfig/engine.js';
import { earlySpareFromEnv } from '../helper/netconfig/spare-process.js';
import { ownAppRoot } from '../install/layout.js';
import { main } from './wiredesk.js';
import { sys } from '../engine/io/libc.js';

// Exits without Node's teardown (freeing its heap, joining its threads: a few
// ms that whoever ran `up` waits for). By now the command's work is done and
// written: stdout and stderr are synchronous on Linux, for files, pipes and terminals.
void main(process.argv.slice(2), earlySpareFromEnv(join(ownAppRoot(), ENGINE_ENTRY)))
  .then(() => sys._exit(Number(process.exitCode ?? 0)));
