import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { generateWAgent, type WAgentOptions } from '../../generator/w-agent.js';

export interface GenerateOptions {
  seed: string;
  days: number;
  sessionsPerDay: number;
  out: string;
  end: number;
}

/** `cairn generate`: W-agent events as NDJSON, to a file or stdout. */
export async function runGenerate(o: GenerateOptions): Promise<number> {
  const out = o.out === '-' ? process.stdout : createWriteStream(o.out);
  const options: WAgentOptions = {
    seed: o.seed,
    start: o.end - o.days * 86_400_000,
    end: o.end,
    sessionsPerDay: o.sessionsPerDay,
  };
  let n = 0;
  for (const event of generateWAgent(options)) {
    n++;
    if (!out.write(`${JSON.stringify(event)}\n`)) await once(out, 'drain');
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  console.error(`generated ${n.toLocaleString('en-US')} events`);
  return 0;
}
