import { isObject, paramsOf, type JsonObject } from './jsonrpc.js';

/**
 * Who the client of a session is. Up to protocol 2025-11-25 the client names itself once, in
 * `initialize`; newer protocol versions carry the same facts on every request under `_meta`
 * (`io.modelcontextprotocol/clientInfo`, `…/protocolVersion`, `…/clientCapabilities`), with no
 * initialize at all. Both feed one record per session.
 */
export interface ClientInfo {
  name?: string;
  version?: string;
  protocolVersion?: string;
  capabilities?: JsonObject;
}

const META = 'io.modelcontextprotocol/';

/** What one request says about its client (nothing, for most requests of older protocols). */
export function clientInfoOf(method: string, message: JsonObject): ClientInfo {
  const params = paramsOf(message);
  const meta = isObject(params['_meta']) ? params['_meta'] : {};
  const out: ClientInfo = {};
  const info = method === 'initialize' ? params['clientInfo'] : meta[`${META}clientInfo`];
  if (isObject(info)) {
    if (typeof info['name'] === 'string' && info['name'] !== '') out.name = info['name'];
    if (typeof info['version'] === 'string' && info['version'] !== '')
      out.version = info['version'];
  }
  const version =
    method === 'initialize' ? params['protocolVersion'] : meta[`${META}protocolVersion`];
  if (typeof version === 'string' && version !== '') out.protocolVersion = version;
  const caps = method === 'initialize' ? params['capabilities'] : meta[`${META}clientCapabilities`];
  if (isObject(caps)) out.capabilities = caps;
  return out;
}

/** `next` over `known`: a request naming its client overrides what the session knew. */
export function mergeClientInfo(known: ClientInfo | undefined, next: ClientInfo): ClientInfo {
  return { ...known, ...next };
}

export function isEmptyClientInfo(info: ClientInfo): boolean {
  return Object.keys(info).length === 0;
}

/** MCP clients announce change notifications they handle as roots.listChanged. */
export function supportsNotifications(info: ClientInfo): boolean | undefined {
  if (info.capabilities === undefined) return undefined;
  const roots = info.capabilities['roots'];
  return isObject(roots) && roots['listChanged'] === true;
}
