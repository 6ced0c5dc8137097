// The .conf library: parse, validate, edit, serialize and strip wg-quick
// configs, plus keys and IP helpers. Pure (no I/O) so the renderer can use it.
export * from './diagnostic.js';
export * from './edit.js';
export * from './interface-name.js';
export * from './ip.js';
export * from './keys.js';
export { splitLines, joinLines, type LineEnding, type RawLine } from './lines.js';
export * from './load.js';
export * from './model.js';
export { parseConfig } from './parse.js';
export * from './quick-config.js';
export {
  FOREIGN_KEYS, KEY_SPECS, keysOf, type InterfaceKey, type KeyName, type KeySpec, type PeerKey, type SectionKind,
} from './schema.js';
export { serializeConfig } from './serialize.js';
export { stripConfig } from './strip.js';
export { checkConfig, validateConfig, type PublicKeyOf, type ValidateOptions } from './validate.js';
export { type Endpoint, type Table } from './values.js';
export * from './wg-config.js';
export * from './wg-units.js';
export * from './exclude-private.js';
