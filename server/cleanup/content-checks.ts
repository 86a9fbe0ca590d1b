/**
 * What cleanup needs to inspect message content, compiled once per snapshot: the four check
 * tables and the limits that bound the inspection (spec/header-body-checks.md §7).
 * Exports: ContentChecks, buildContentChecks.
 * Reads: header_checks, mime_header_checks, nested_header_checks, body_checks,
 * body_checks_size_limit, header_size_limit, disable_mime_input_processing, mime_nesting_limit.
 * A table that cannot be opened refuses the configuration, as cleanup refuses to start.
 */
import type { MainCf } from '../config/main-cf.ts';
import type { TableCatalog } from '../maps/table-catalog.ts';
import { openCheckMaps, type CheckMaps } from './check-maps.ts';

export interface ContentChecks {
  headerChecks: CheckMaps;             // header_checks: top-level headers
  mimeHeaderChecks: CheckMaps;         // mime_header_checks: MIME headers anywhere
  nestedHeaderChecks: CheckMaps;       // nested_header_checks: headers of attached messages
  bodyChecks: CheckMaps;               // body_checks: body lines, boundaries, preamble, epilogue
  bodyChecksSizeLimit: number;         // body_checks_size_limit: bytes inspected per body part, 0 = all
  headerSizeLimit: number;             // header_size_limit: a logical header is cut beyond this
  disableMimeInputProcessing: boolean; // disable_mime_input_processing: all after the top headers is body
  mimeNestingLimit: number;            // mime_nesting_limit: multipart levels followed
}

const CHECK_PARAMETERS = ['header_checks', 'mime_header_checks', 'nested_header_checks', 'body_checks'] as const;

/** buildContentChecks - open the check tables through the catalog; every failure is reported. */
export function buildContentChecks(
  mainCf: MainCf, catalog: TableCatalog,
): { ok: true; checks: ContentChecks; warnings: string[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const opened = new Map<string, CheckMaps>();
  for (const parameter of CHECK_PARAMETERS) {
    const r = openCheckMaps(parameter, mainCf.list(parameter), catalog);
    if (!r.ok) errors.push(...r.errors);
    else {
      warnings.push(...r.warnings);
      opened.set(parameter, r.maps);
    }
  }
  if (errors.length) return { ok: false, errors };
  return {
    ok: true,
    checks: Object.freeze({
      headerChecks: opened.get('header_checks')!,
      mimeHeaderChecks: opened.get('mime_header_checks')!,
      nestedHeaderChecks: opened.get('nested_header_checks')!,
      bodyChecks: opened.get('body_checks')!,
      bodyChecksSizeLimit: mainCf.size('body_checks_size_limit'),
      headerSizeLimit: mainCf.size('header_size_limit'),
      disableMimeInputProcessing: mainCf.bool('disable_mime_input_processing'),
      mimeNestingLimit: mainCf.int('mime_nesting_limit'),
    }),
    // The default $header_checks opens the same table three times: warn once.
    warnings: [...new Set(warnings)],
  };
}
