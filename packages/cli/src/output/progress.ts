/**
 * @module
 * A spinner on a terminal, or one line per change when stderr is a pipe, for
 * anything that waits. It writes to stderr so that stdout stays parseable.
 */
import type { OutputStream } from '../io';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  update(text: string): void;
  /** Clears the spinner and prints a last line, if given. */
  done(text?: string): void;
}

/** Starts a progress display on `stream`. */
export function startProgress(stream: OutputStream, text: string): Progress {
  let current = text;
  if (!stream.isTTY) {
    stream.write(`${text}\n`);
    return {
      update(next) {
        if (next !== current) stream.write(`${next}\n`);
        current = next;
      },
      done(last) {
        if (last) stream.write(`${last}\n`);
      },
    };
  }
  let frame = 0;
  const draw = () => {
    stream.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length]} ${current}`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 80);
  return {
    update(next) {
      current = next;
    },
    done(last) {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
      if (last) stream.write(`${last}\n`);
    },
  };
}
