import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/**
 * Prints "N passed, N failed, N skipped" on a line of its own, a closing line any CI can read.
 * A test file that fails before any test runs (an error while loading it or in a top-level hook)
 * holds no failed test, so such files, and errors outside any test, are named on the line too:
 * a run that failed must never read as "0 failed".
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError> = [],
  ): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let brokenFiles = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
      if (m.errors().length > 0) brokenFiles++;
    }
    const extra = [
      brokenFiles > 0 ? `${brokenFiles} file(s) failed outside their tests` : '',
      unhandledErrors.length > 0 ? `${unhandledErrors.length} unhandled error(s)` : '',
    ].filter(Boolean);
    const tail = extra.length > 0 ? `, ${extra.join(', ')}` : '';
    console.log(
      `\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped${tail}`,
    );
  }
}
