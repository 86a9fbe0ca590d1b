/**
 * The $name references of an imported main.cf that cannot stay references once its values are
 * stored: $config_directory, which means the folder the file is in, and the parameters the file
 * sets that are not stored (unused ones, such as a helper `my_access = hash:...`). Each is
 * replaced by its value, as Postfix expands it when it reads the file; references to
 * parameters that are stored stay as written, so they keep following those parameters.
 * Exports: FileMacroScope, FileMacroResult, substituteFileMacros.
 * Handles `$name`, `${name}` and `$(name)`; a conditional form (`${name?text}`, `${name:text}`)
 * whose name would be replaced is left as written and reported, for the administrator to
 * write out. A reference to a name that is neither stored nor set in the file is reported: it
 * expands to nothing, where Postfix would use its own default.
 */
import { findClose } from '../config/expand.ts';

/** What the names of one file mean. */
export interface FileMacroScope {
  readonly configDirectory: string;                 // the folder of the file
  readonly unstored: ReadonlyMap<string, string>;   // names the file sets but that are not stored, with their values
  isStored(name: string): boolean;                  // registry parameters and declared restriction classes
}

export interface FileMacroResult {
  readonly value: string;
  readonly substituted: readonly string[]; // names replaced by their values
  readonly unresolved: readonly string[];  // names neither stored nor set in the file
  readonly conditional: readonly string[]; // conditional forms naming a replaced name, left as written
}

const NAME = /^[A-Za-z0-9_]+$/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** substituteFileMacros - value with $config_directory and unstored names replaced. */
export function substituteFileMacros(value: string, scope: FileMacroScope): FileMacroResult {
  const substituted = new Set<string>();
  const unresolved = new Set<string>();
  const conditional = new Set<string>();
  const replaceName = (name: string, stack: readonly string[]): string | null => {
    if (name === 'config_directory') {
      substituted.add(name);
      return scope.configDirectory.replace(/\$/g, '$$$$');
    }
    if (scope.isStored(name)) return null;
    const raw = scope.unstored.get(name);
    if (raw === undefined) {
      unresolved.add(name);
      return null;
    }
    // A name that refers back to itself stays a reference; MainCf reports the loop.
    if (stack.includes(name)) return null;
    substituted.add(name);
    return walk(raw, [...stack, name]);
  };
  const walk = (text: string, stack: readonly string[]): string => {
    let out = '';
    let i = 0;
    while (i < text.length) {
      if (text[i] !== '$') { out += text[i++]; continue; }
      const open = text[i + 1];
      if (open === '$') { out += '$$'; i += 2; continue; }
      let end: number;
      let inner: string;
      if (open === '{' || open === '(') {
        end = findClose(text, i + 2, open, open === '{' ? '}' : ')');
        if (end < 0) { out += text.slice(i); break; } // truncated: MainCf reports it
        inner = text.slice(i + 2, end);
        end += 1;
      } else {
        end = i + 1;
        while (end < text.length && NAME_CHAR.test(text[end])) end++;
        inner = text.slice(i + 1, end);
      }
      const reference = text.slice(i, end);
      i = end;
      if (NAME.test(inner)) {
        out += replaceName(inner, stack) ?? reference;
        continue;
      }
      const name = /^[A-Za-z0-9_]+/.exec(inner)?.[0];
      if (name !== undefined && !scope.isStored(name) && (name === 'config_directory' || scope.unstored.has(name))) conditional.add(name);
      out += reference;
    }
    return out;
  };
  const result = walk(value, []);
  return { value: result, substituted: [...substituted], unresolved: [...unresolved], conditional: [...conditional] };
}
