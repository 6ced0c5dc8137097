// The engine's endpoint type lives in the core (core/endpoint.ts), which roams
// by it. This path remains for the I/O interop tests that import it from here.
export { Endpoint, type EndpointFamily } from '../core/endpoint.js';
