import {
  AGENTS,
  APPS,
  CLIENTS,
  DOMAINS,
  MODELS,
  PLATFORM_WEIGHTS,
  PLATFORMS,
  TOOLS,
  type ClientSpec,
  type ModelSpec,
  type Platform,
  type ToolSpec,
} from './catalog.js';
import { fmix32, hash32, hashFloat, hexWord, WeightedTable, zipfWeights } from './prng.js';
import { userPoolSize, type ResolvedOptions } from './w-agent-options.js';

export interface Workspace {
  name: string;
  app: string;
  domain: string;
}

export interface Agent {
  name: string;
  /** The agent's tools, most used first (Zipf), drawn from the tools in use. */
  tools: WeightedTable<ToolSpec>;
}

/** A user's stable traits, derived from the user's index rather than stored. */
export interface User {
  id: string;
  workspace: Workspace;
  platform: Platform;
  /** Internal testers work on staging; everyone else on production. */
  environment: 'production' | 'staging';
}

/** Everything a session draws from, built once per generator from the resolved options. */
export interface World {
  options: ResolvedOptions;
  users: number;
  models: WeightedTable<ModelSpec>;
  agents: WeightedTable<Agent>;
  clients: WeightedTable<ClientSpec>;
  /** Drives per-user traits; distinct from the stream seeds so users stay put across options. */
  userKey: number;
  workspaces: WeightedTable<Workspace>;
  platforms: WeightedTable<Platform>;
}

const STAGING_SHARE = 0.04;

export function buildWorld(o: ResolvedOptions): World {
  const models = MODELS.slice(0, o.models);
  const tools = TOOLS.slice(0, o.tools);
  return {
    options: o,
    users: userPoolSize(o),
    models: new WeightedTable(
      models,
      models.map((m) => m.weight),
    ),
    agents: new WeightedTable(
      AGENTS.map((a) => agentOf(a.name, a.servers, tools)),
      AGENTS.map((a) => a.weight),
    ),
    clients: new WeightedTable(
      CLIENTS,
      CLIENTS.map((c) => c.weight),
    ),
    userKey: hash32(o.seed, 'users'),
    workspaces: workspaceTable(o.workspaces),
    platforms: new WeightedTable(PLATFORMS, PLATFORM_WEIGHTS),
  };
}

/** An agent gets the tools in use on its servers, or every tool in use if none is on them. */
function agentOf(name: string, servers: readonly string[], inUse: readonly ToolSpec[]): Agent {
  const own = inUse.filter((t) => servers.includes(t.server));
  const tools = own.length > 0 ? own : inUse;
  return { name, tools: new WeightedTable(tools, zipfWeights(tools.length, 0.8)) };
}

/** "ws-01".."ws-20", traffic falling off as 1/rank (a few big tenants, a long tail). */
function workspaceTable(n: number): WeightedTable<Workspace> {
  const width = Math.max(2, String(n).length);
  const list = Array.from({ length: n }, (_, i) => ({
    name: `ws-${String(i + 1).padStart(width, '0')}`,
    app: APPS[i % APPS.length] as string,
    domain: domainOf(i),
  }));
  return new WeightedTable(list, zipfWeights(n, 1.05));
}

/** Real-looking tenant domains; past the list, a numbered sub-domain keeps them distinct. */
function domainOf(i: number): string {
  const base = DOMAINS[i % DOMAINS.length] as string;
  const round = Math.floor(i / DOMAINS.length);
  return round === 0 ? base : `t${round}.${base}`;
}

/**
 * The user with index `index`: a stable id (fmix32 is a bijection, so ids never collide) and
 * traits hashed from it. Users join workspaces in Zipf proportions, which is what skews traffic.
 */
export function userAt(world: World, index: number): User {
  const key = world.userKey;
  return {
    id: `usr_${hexWord(fmix32((index ^ key) >>> 0))}`,
    workspace: world.workspaces.at(hashFloat(key, index, 1)),
    platform: world.platforms.at(hashFloat(key, index, 2)),
    environment: hashFloat(key, index, 3) < STAGING_SHARE ? 'staging' : 'production',
  };
}
