/**
 * The MIME parser of cleanup, Postfix's mime_state.c without 8-bit downgrading: it reads the
 * message as records (a line, or a piece of a long line) and hands on every logical header
 * with its class (primary, multipart, nested) and every body record with its offset in the
 * current body part, which is what header_checks, mime_header_checks, nested_header_checks and
 * body_checks see (spec/header-body-checks.md §1-2).
 * Exports: HeaderClass, MimeCallbacks, MimeOptions, MimeState.
 * A folded header is one string, its lines joined by `\n` with their leading whitespace kept;
 * the pieces of a long line are joined without one. Text beyond header_size_limit is dropped.
 * A part header block that does not end in an empty line gets one, as Postfix inserts it.
 * Texts are byte strings (latin1: one char per byte), so nothing is lost on the way.
 * XXX no 8-bit or encoding-domain checks: they come with strict_8bitmime and friends, which
 * the parameter registry does not have yet.
 */
import { headerNameLength } from './header-opts.ts';

export type HeaderClass = 'primary' | 'multipart' | 'nested'; // MIME_HDR_PRIMARY, _MULTIPART, _NESTED

export interface MimeCallbacks {
  /** header - one logical header of a header block (head_out). */
  header(headerClass: HeaderClass, text: string): void;
  /** body - one body record; `offset` counts the part's bytes before it, line ends as one (body_out). */
  body(text: string, continued: boolean, offset: number): void;
  /** nestingError - MIME_ERR_NESTING, reported once, with the Content-Type header at fault. */
  nestingError(text: string): void;
}

export interface MimeOptions {
  disableMime: boolean;     // disable_mime_input_processing: body starts after the top headers
  headerSizeLimit: number;  // header_size_limit
  nestingLimit: number;     // mime_nesting_limit
  reportNesting: boolean;   // MIME_OPT_REPORT_NESTING: cleanup sets it when any header check is configured
}

type State = HeaderClass | 'body';
type ContentType = 'text' | 'message' | 'multipart' | 'other';
type SubType = 'plain' | 'rfc822' | 'partial' | 'external-body' | 'other';

interface Boundary {
  readonly defaultType: ContentType;  // of the parts: message/rfc822 in multipart/digest, else text/plain
  readonly defaultSubType: SubType;
  readonly text: string;              // the boundary, cut at BOUNDARY_LENGTH_LIMIT
}

// mime_boundary_length_limit, at its default: not a registry parameter.
const BOUNDARY_LENGTH_LIMIT = 2048;
// RFC 2045 tspecials, the token separators of Content-Type values.
const TSPECIALS = '()<>@,;:\\"/[]?=';

/** A one-pass MIME parser; feed it records with update(), then call end(). */
export class MimeState {
  private state: State = 'primary';
  private contentType: ContentType = 'text';
  private subType: SubType = 'plain';
  private header = '';                   // the logical header being collected (output_buffer)
  private previousContinued = false;     // the last record was a piece of a longer line (REC_TYPE_CONT)
  private stack: Boundary[] = [];        // innermost multipart first
  private bodyOffset = 0;
  private nestingReported = false;

  constructor(private readonly options: MimeOptions, private readonly out: MimeCallbacks) {}

  /** update - one text record; `continued` when the line goes on in the next record. */
  update(text: string, continued: boolean): void {
    if (this.state !== 'body') {
      if (this.header.length > 0) {
        // The rest of a long line, or a continuation line, belongs to the header collected.
        if (this.previousContinued) {
          if (this.header.length < this.options.headerSizeLimit) this.header += text;
          this.previousContinued = continued;
          return;
        }
        if (text.startsWith(' ') || text.startsWith('\t')) {
          if (this.header.length < this.options.headerSizeLimit) this.header += '\n' + text;
          this.previousContinued = continued;
          return;
        }
        this.flushHeader();
      }
      const nameLength = headerNameLength(text);
      if (nameLength > 0) {
        // The obsolete `name :` becomes `name:`, as Postfix normalises it.
        this.header = text.slice(0, nameLength) + text.slice(nameLength).replace(/^[ \t]+/, '');
        this.previousContinued = continued;
        return;
      }
      if (text === '') {
        this.bodyOffset = 0;
        if (this.contentType === 'message') {
          // message/partial and message/external-body stay body: Postfix looks inside them
          // only with MIME_OPT_RECURSE_ALL_MESSAGE, which cleanup never sets.
          if (this.subType === 'rfc822') this.setState('nested', 'text', 'plain');
          else this.setState('body');
        } else if (this.contentType === 'multipart') {
          this.setState('body', 'other', 'other');
        } else {
          this.setState('body');
        }
      } else {
        // Not a header and not the empty line: the header block ends without its empty line.
        this.setState('body');
        this.emitBody('', false);
      }
    }
    if (this.stack.length && !this.previousContinued && text.startsWith('--')) this.matchBoundary(text);
    this.emitBody(text, continued);
    this.previousContinued = continued;
  }

  /**
   * inFinalBody - at the start of a line in a body that no boundary can end (no multipart is
   * open): every record from here on is body text, as it comes.
   */
  get inFinalBody(): boolean {
    return this.state === 'body' && this.stack.length === 0 && !this.previousContinued;
  }

  /** end - the end of the content: flush a collected header; an unfinished line gets its line end. */
  end(): void {
    if (this.previousContinued) this.update('', false);
    if (this.state !== 'body' && this.header.length > 0) this.flushHeader();
    this.setState('body');
  }

  private matchBoundary(text: string): void {
    const index = this.stack.findIndex((b) => text.startsWith(b.text, 2));
    if (index < 0) return;
    const boundary = this.stack[index];
    this.stack.splice(0, index);
    if (text.startsWith('--', 2 + boundary.text.length)) {
      this.stack.shift();
      this.setState('body', 'other', 'other');
    } else {
      this.setState('multipart', boundary.defaultType, boundary.defaultSubType);
    }
  }

  private flushHeader(): void {
    const text = this.header;
    this.header = '';
    this.previousContinued = false;
    if (!this.options.disableMime && /^content-type:/i.test(text)) this.readContentType(text);
    this.out.header(this.state as HeaderClass, text);
  }

  private emitBody(text: string, continued: boolean): void {
    this.out.body(text, continued, this.bodyOffset);
    this.bodyOffset += text.length + 1;
  }

  private setState(state: State, contentType?: ContentType, subType?: SubType): void {
    this.state = state;
    if (contentType) this.contentType = contentType;
    if (subType) this.subType = subType;
    if (state === 'body') this.bodyOffset = 0;
  }

  // mime_state_content_type(): the type, subtype and, for multipart, every boundary parameter.
  private readContentType(header: string): void {
    const value = header.slice(header.indexOf(':') + 1);
    const cursor = { at: 0 };
    const first = headerTokens(value, cursor);
    if (first === null || first.length === 0) return;
    const word = (i: number, w: string) => first[i]?.kind === 'token' && first[i].text.toLowerCase() === w;
    const slash = first.length >= 3 && first[1].kind === 'special' && first[1].text === '/';
    if (word(0, 'text')) {
      this.contentType = 'text';
      this.subType = slash && word(2, 'plain') ? 'plain' : 'other';
      return;
    }
    if (word(0, 'message')) {
      this.contentType = 'message';
      this.subType = !slash ? 'other' : word(2, 'rfc822') ? 'rfc822' : word(2, 'partial') ? 'partial' : word(2, 'external-body') ? 'external-body' : 'other';
      return;
    }
    if (!word(0, 'multipart')) {
      this.contentType = 'other';
      return;
    }
    this.contentType = 'multipart';
    const digest = slash && word(2, 'digest');
    for (let tokens = headerTokens(value, cursor); tokens !== null; tokens = headerTokens(value, cursor)) {
      // Several boundary parameters are all followed, and a quoted name counts too: so that
      // nothing hides behind an ambiguity (mime_state.c).
      if (tokens.length < 3 || tokens[0].kind !== 'token' || tokens[0].text.toLowerCase() !== 'boundary') continue;
      if (tokens[1].kind !== 'special' || tokens[1].text !== '=') continue;
      if (this.stack.length > this.options.nestingLimit) {
        if (this.options.reportNesting && !this.nestingReported) {
          this.nestingReported = true;
          this.out.nestingError(header);
        }
        continue;
      }
      this.stack.unshift({
        defaultType: digest ? 'message' : 'text',
        defaultSubType: digest ? 'rfc822' : 'plain',
        text: tokens[2].text.slice(0, BOUNDARY_LENGTH_LIMIT),
      });
    }
  }
}

interface HeaderToken {
  kind: 'token' | 'quoted' | 'special';
  text: string;
}

/**
 * header_token() with RFC 2045 specials and `;` as terminator: the next up to 3 tokens of a
 * header value from cursor.at, comments and white space skipped; null at the end of the value.
 */
function headerTokens(value: string, cursor: { at: number }): HeaderToken[] | null {
  const tokens: HeaderToken[] = [];
  let at = cursor.at;
  let ended = true;
  while (at < value.length) {
    const c = value[at++];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (c === ';') {
      ended = false;
      break;
    }
    if (c === '(') {
      for (let level = 1; at < value.length && level > 0;) {
        const d = value[at++];
        if (d === '(') level++;
        else if (d === ')') level--;
        else if (d === '\\' && at < value.length) at++;
      }
      continue;
    }
    if (c === '"') {
      let text = '';
      while (at < value.length) {
        let d = value[at++];
        if (d === '"') break;
        if (d === '\n') {
          text = text.replace(/[ \t\r\n]+$/, '');
          continue;
        }
        if (d === '\\') {
          text += d;
          if (at >= value.length) break;
          d = value[at++];
        }
        text += d;
      }
      if (tokens.length < 3) tokens.push({ kind: 'quoted', text });
      continue;
    }
    const code = c.charCodeAt(0);
    if (TSPECIALS.includes(c) || code < 0x20 || code === 0x7f) {
      if (tokens.length < 3) tokens.push({ kind: 'special', text: c });
      continue;
    }
    let text = c;
    while (at < value.length) {
      const d = value[at];
      const dc = d.charCodeAt(0);
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || dc < 0x20 || dc === 0x7f || TSPECIALS.includes(d)) break;
      text += d;
      at++;
    }
    if (tokens.length < 3) tokens.push({ kind: 'token', text });
  }
  cursor.at = at;
  if (tokens.length === 0 && ended) return null;
  return tokens;
}
