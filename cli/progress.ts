// A one-line progress bar redrawn in place on a terminal, at most ten times a second; nothing at
// all when the output is not a terminal (a pipe or a file gets only the final figures).
export interface Progress {
  update(done: number): void;
  /** Clears the line. */
  end(): void;
}

const width = 30;
const redrawEveryMs = 100;

export function progressBar(stream: NodeJS.WriteStream, total: number, unit: string): Progress {
  if (!stream.isTTY) return { update() {}, end() {} };
  const started = performance.now();
  let drawnAt = -Infinity;
  return {
    update(done) {
      const now = performance.now();
      if (now - drawnAt < redrawEveryMs && done < total) return;
      drawnAt = now;
      const filled = Math.min(width, Math.floor((width * done) / total));
      const rate = Math.round(done / Math.max((now - started) / 1000, 0.001));
      const percent = Math.floor((100 * done) / total);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${total} ${unit}, ${rate} ${unit}/s\x1b[K`);
    },
    end() {
      stream.write('\r\x1b[2K');
    },
  };
}
