/**
 * What the console process writes to its standard error (Next.js's errors of a page or server
 * action, warnings of the server), made into maillog text: one warning per message line as it
 * comes, so that an administrator finds the cause of a failed page beside the gateway's own
 * warnings. Stack frames and the fields of an error (lines indented by two spaces or more, and
 * their closing brackets) are left out of the maillog, as one event is one line; the last
 * characters of everything are kept for the message logged when the process exits.
 * Exports ConsoleStderr. Reads no parameters.
 */
import { printable } from '../log/printable.ts';

// Enough for the end of a stack trace in the exit message, bounded whatever the console prints.
const TAIL_CHARS = 4000;
// A maillog line stays readable, and a runaway line cannot make a huge one.
const LINE_CHARS = 500;
// Next.js colours its output when it thinks a person is watching.
const COLOUR = /\x1b\[[0-9;]*m/g;

/** Standard error of the console, taken in chunks as they arrive. */
export class ConsoleStderr {
  private partial = ''; // a line whose end has not come yet
  private kept = ''; // the last TAIL_CHARS characters received

  /** take - a chunk of output; returns the message lines it completed, cleaned for the maillog. */
  take(chunk: string): string[] {
    this.kept = (this.kept + chunk).slice(-TAIL_CHARS);
    const lines = (this.partial + chunk).split('\n');
    // An unfinished line is kept only up to what a maillog line may show of it.
    this.partial = lines.pop()!.slice(0, LINE_CHARS + 1);
    const messages: string[] = [];
    for (const line of lines) {
      const text = printable(line.replace(COLOUR, '')).trimEnd();
      if (!isMessageLine(text)) continue;
      const message = text.trimStart();
      messages.push(message.length > LINE_CHARS ? `${message.slice(0, LINE_CHARS)}...` : message);
    }
    return messages;
  }

  /** tail - the end of everything received, for the exit message. */
  tail(): string {
    return this.kept.replace(COLOUR, '').trim();
  }
}

// Next.js starts a message with at most one space (` ⨯ Error: ...`); what belongs to it is
// indented further.
function isMessageLine(text: string): boolean {
  return !/^\s{2}/.test(text) && !/^[\s{}[\](),]*$/.test(text);
}
