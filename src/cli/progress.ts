/**
 * A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal, so logs
 * and pipes stay clean.
 */
export class Progress {
  private readonly enabled: boolean;
  private lastDraw = 0;

  constructor(
    private readonly label: string,
    private readonly total: number | null,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** Redraws at most ten times a second. */
  update(done: number, note = ''): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[2K${this.render(done, note)}`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[2K');
  }

  private render(done: number, note: string): string {
    if (!this.total) return `${this.label} ${done.toLocaleString('en-US')} ${note}`;
    const ratio = Math.min(1, done / this.total);
    const width = 30;
    const filled = Math.round(ratio * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    return `${this.label} ${bar} ${(ratio * 100).toFixed(0).padStart(3)}% ${note}`;
  }
}
