/**
 * The "fully rendered" signal that tests and the benchmark wait for: `data-ready="true"` on
 * <html> once every panel of the current view has its answer and the browser has painted it.
 * Panels report their loads here; a navigation clears the flag before the new panels start.
 */
let pending = 0;
let generation = 0;

declare global {
  interface Window {
    /** performance.now() when the view last became ready (read by bench/dashboard.ts). */
    __cairnReadyAt?: number;
  }
}

/**
 * Marks the view as loading; called when the view (page, range, filters) changes. A guard load
 * spans the re-render (Preact renders in a microtask and panels begin their loads in layout
 * effects, both before this timeout), so a view whose panels fetch nothing still turns ready.
 */
export function resetReady(): void {
  generation++;
  setTimeout(beginLoad(), 0);
}

/** Registers one panel load; the returned function ends it (call it exactly once). */
export function beginLoad(): () => void {
  pending++;
  delete document.documentElement.dataset.ready;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    pending--;
    if (pending === 0) scheduleReady();
  };
}

/** Two frames: the first lets Preact commit and charts draw, the second follows the paint. */
function scheduleReady(): void {
  const g = generation;
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      if (pending !== 0 || g !== generation) return;
      window.__cairnReadyAt = performance.now();
      document.documentElement.dataset.ready = 'true';
    }),
  );
}
