/**
 * The fixed vocabulary of the W-agent workload: real model ids (all priced by
 * @pydantic/genai-prices, so generated usage turns into real cost), MCP tools grouped by the
 * server that offers them, agents, MCP clients, apps and message texts. Options pick a prefix of
 * each list, so a smaller workload is a subset of a larger one.
 */

/** How a provider reports prompt caching: OpenAI and Gemini read caches implicitly, Anthropic also bills writes. */
export type CacheStyle = 'implicit' | 'explicit';

export interface ModelSpec {
  id: string;
  provider: string;
  /** Reasoning models spend hidden output tokens; only they report `reasoning_tokens`. */
  reasoning: boolean;
  cache: CacheStyle;
  /** Relative popularity: small, cheap models carry most of the traffic. */
  weight: number;
}

export const MODELS: readonly ModelSpec[] = [
  { id: 'gpt-4o-mini', provider: 'openai', reasoning: false, cache: 'implicit', weight: 30 },
  {
    id: 'claude-sonnet-4-5',
    provider: 'anthropic',
    reasoning: false,
    cache: 'explicit',
    weight: 20,
  },
  { id: 'gemini-2.0-flash', provider: 'google', reasoning: false, cache: 'implicit', weight: 15 },
  { id: 'gpt-4o', provider: 'openai', reasoning: false, cache: 'implicit', weight: 12 },
  { id: 'o3-mini', provider: 'openai', reasoning: true, cache: 'implicit', weight: 8 },
  {
    id: 'claude-3-5-haiku-latest',
    provider: 'anthropic',
    reasoning: false,
    cache: 'explicit',
    weight: 15,
  },
  { id: 'gpt-4.1-mini', provider: 'openai', reasoning: false, cache: 'implicit', weight: 10 },
  { id: 'gemini-2.5-pro', provider: 'google', reasoning: true, cache: 'implicit', weight: 5 },
  { id: 'claude-haiku-4-5', provider: 'anthropic', reasoning: false, cache: 'explicit', weight: 8 },
  { id: 'o4-mini', provider: 'openai', reasoning: true, cache: 'implicit', weight: 6 },
  { id: 'gemini-2.5-flash', provider: 'google', reasoning: true, cache: 'implicit', weight: 8 },
];

export interface ToolSpec {
  name: string;
  /** The MCP server offering the tool; agents are given servers, not single tools. */
  server: string;
}

/** Ordered so that any prefix mixes servers: the default 30 cover every agent's needs. */
const TOOL_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['search_docs', 'docs'],
  ['read_file', 'filesystem'],
  ['run_sql', 'postgres'],
  ['create_issue', 'github'],
  ['web_search', 'web'],
  ['send_message', 'slack'],
  ['get_ticket', 'jira'],
  ['browser_navigate', 'browser'],
  ['get_issue_details', 'sentry'],
  ['get_customer', 'stripe'],
  ['list_events', 'calendar'],
  ['recall_memory', 'memory'],
  ['get_doc_page', 'docs'],
  ['list_directory', 'filesystem'],
  ['describe_table', 'postgres'],
  ['search_code', 'github'],
  ['fetch_url', 'web'],
  ['search_messages', 'slack'],
  ['create_ticket', 'jira'],
  ['browser_snapshot', 'browser'],
  ['search_errors', 'sentry'],
  ['list_invoices', 'stripe'],
  ['create_event', 'calendar'],
  ['store_memory', 'memory'],
  ['write_file', 'filesystem'],
  ['list_tables', 'postgres'],
  ['get_pull_request', 'github'],
  ['update_ticket', 'jira'],
  ['browser_click', 'browser'],
  ['list_channels', 'slack'],
  ['edit_file', 'filesystem'],
  ['add_comment', 'github'],
  ['search_tickets', 'jira'],
  ['create_pull_request', 'github'],
  ['search_files', 'filesystem'],
  ['explain_query', 'postgres'],
  ['list_issues', 'github'],
  ['get_subscription', 'stripe'],
  ['browser_type', 'browser'],
  ['summarize_thread', 'slack'],
];

export const TOOLS: readonly ToolSpec[] = TOOL_ROWS.map(([name, server]) => ({ name, server }));

export interface AgentSpec {
  name: string;
  /** MCP servers the agent is wired to; its tools are those of the chosen tools on these servers. */
  servers: readonly string[];
  /** Relative share of agent runs. */
  weight: number;
}

export const AGENTS: readonly AgentSpec[] = [
  { name: 'support-triage', servers: ['docs', 'jira', 'slack'], weight: 25 },
  { name: 'code-assistant', servers: ['github', 'filesystem'], weight: 20 },
  { name: 'data-analyst', servers: ['postgres', 'docs'], weight: 14 },
  { name: 'research', servers: ['web', 'docs', 'memory'], weight: 12 },
  { name: 'ticket-writer', servers: ['jira', 'github'], weight: 9 },
  { name: 'sre-oncall', servers: ['sentry', 'github', 'slack'], weight: 8 },
  { name: 'sales-assistant', servers: ['stripe', 'calendar', 'slack'], weight: 7 },
  { name: 'browser-agent', servers: ['browser', 'web'], weight: 5 },
];

/** Step names of an agent run; the first step plans and the last one drafts the answer. */
export const STEP_NAMES = {
  first: 'plan',
  last: 'draft_answer',
  middle: ['retrieve_context', 'call_tools', 'analyze', 'verify', 'refine_query', 'review'],
  nested: ['subtask', 'lookup', 'check_result', 'summarize'],
} as const;

export interface ClientSpec {
  name: string;
  version: string;
  weight: number;
}

/** MCP hosts as they announce themselves in `initialize` (clientInfo.name / version). */
export const CLIENTS: readonly ClientSpec[] = [
  { name: 'claude-desktop', version: '0.9.2', weight: 30 },
  { name: 'cursor', version: '1.4.0', weight: 25 },
  { name: 'visual-studio-code', version: '1.103.0', weight: 15 },
  { name: 'claude-code', version: '1.0.88', weight: 12 },
  { name: 'windsurf', version: '1.11.2', weight: 8 },
  { name: 'goose', version: '1.3.0', weight: 5 },
  { name: 'cairn-agent-sdk', version: '0.4.0', weight: 5 },
];

export const PLATFORMS = ['web', 'slack', 'telegram', 'api'] as const;
export type Platform = (typeof PLATFORMS)[number];
export const PLATFORM_WEIGHTS: readonly number[] = [50, 20, 15, 15];

export const APPS: readonly string[] = [
  'support-bot',
  'dev-copilot',
  'insights-assistant',
  'research-hub',
  'ops-agent',
  'sales-desk',
];

export const DOMAINS: readonly string[] = [
  'acme.com',
  'globex.io',
  'initech.dev',
  'umbrella.health',
  'hooli.xyz',
  'stark.industries',
  'wayne.enterprises',
  'tyrell.ai',
];

export const PAGES: readonly string[] = ['/chat', '/dashboard', '/history', '/agents', '/settings'];

/** Activities from seed 004's `user_activity.event_type` that a session may add midway. */
export const MIDWAY_ACTIVITIES: readonly string[] = [
  'feature_use',
  'report_view',
  'export',
  'workspace_switch',
];

export const USER_PROMPTS: readonly string[] = [
  'How do I rotate the API key for our production workspace?',
  'Summarise the open incidents from last night.',
  'Why did the nightly export job fail?',
  'Draft a reply to the customer asking about the refund.',
  'Which customers churned last month and why?',
  'Find the function that parses webhook payloads.',
  'Create a ticket for the login timeout bug.',
  'What changed in the billing service this week?',
  'Compare the conversion rate of the two pricing pages.',
  'Is there documentation for the bulk import endpoint?',
  'Schedule a call with the Globex team next Tuesday.',
  'Explain this stack trace.',
];

export const ASSISTANT_REPLIES: readonly string[] = [
  'Here is what I found. The key can be rotated under Settings → API keys; the old key stays valid for 24 hours.',
  'There were three incidents overnight; two are resolved and one is still being investigated.',
  'The export failed because the storage credentials expired at 02:00 UTC. Renewing them fixes it.',
  'I drafted a reply below. It confirms the refund and gives the expected date.',
  'Twelve accounts churned; most cited price and missing SSO.',
  'The payload is parsed in `src/webhooks/parse.ts`, in `parseWebhookBody`.',
  'I created the ticket and linked the related error reports.',
  'Four pull requests were merged into the billing service this week.',
  'The new pricing page converts 1.8 percentage points better over the last 14 days.',
  'Yes, the bulk import endpoint is documented under Data → Imports.',
];

export const FAILED_REPLY = 'Sorry, something went wrong while working on that. Please try again.';

/** Optional comments left with a thumbs up or down. */
export const FEEDBACK_COMMENTS = {
  up: ['Exactly what I needed.', 'Great summary!', 'Saved me an hour.'],
  down: ['The answer was out of date.', 'Too slow.', 'It used the wrong table.'],
} as const;
