// The UAPI wire protocol in one import: the `get=1` reply (protocol-get.ts)
// and the `set=1` request (protocol-set.ts). Each half lives in its own file;
// this module only names them together for the engine, the CLI and tests.

export { formatGet, parseGet } from './protocol-get.js';
export { SetParser, formatSet, parseSet, setLineText } from './protocol-set.js';
