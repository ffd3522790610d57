// Payloads in and out: read from an argument, stdin or a file; shown as text when they are text.
import { readFileSync } from 'node:fs';
import { UsageError } from './usage-error.ts';

/** `-` is stdin, `@path` a file's bytes, anything else the text itself; no argument is an empty payload. */
export function readData(argument: string | undefined): { bytes: Buffer; literal: boolean } {
  if (argument === undefined) return { bytes: Buffer.alloc(0), literal: false };
  if (argument === '-') return { bytes: readFileSync(0), literal: false };
  if (argument.startsWith('@')) {
    try {
      return { bytes: readFileSync(argument.slice(1)), literal: false };
    } catch (error) {
      throw new UsageError(`cannot read ${argument.slice(1)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return { bytes: Buffer.from(argument, 'utf8'), literal: true };
}

/** Payload bytes as UTF-8 text when they are exactly that, else null. */
export function utf8(data: Buffer): string | null {
  const text = data.toString('utf8');
  return Buffer.from(text, 'utf8').equals(data) ? text : null;
}

/** Payload bytes for a person: the text, or a base64 summary of binary data. */
export function describeData(data: Buffer): string {
  const text = utf8(data);
  return text ?? `<${data.length} bytes of binary data, base64 ${data.toString('base64')}>`;
}
