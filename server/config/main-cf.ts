/**
 * MainCf: the immutable set of main.cf parameter values the gateway reads, built from the
 * changed values (the only ones stored) and the registry defaults, as Postfix's mail_conf
 * reads main.cf over its built-in defaults. Everything is computed in the constructor:
 * computed defaults (myhostname, mydomain, mynetworks, against the changed values, as
 * Postfix's mail_params_init() orders them), the restriction classes declared in
 * smtpd_restriction_classes (user-defined parameters, default empty), every $-expansion,
 * and every problem: unknown names, $-syntax errors, expansion loops, values invalid for
 * their type after expansion. errors() lists them so a caller can refuse a broken set.
 * Exports: MainCf.
 * Throws: reading an unknown name, asking bool() of a non-bool parameter and the like are
 * bugs; reading a value listed in errors() is a broken configuration: both throw.
 */
import { SECONDS_PER_UNIT, type ParameterDefinition, type TimeUnit } from './parameter-definition.ts';
import { PARAMETERS } from './parameters.ts';
import { expandValue, findMacroSyntaxError, type ExpandResult } from './expand.ts';
import { splitList } from './parameter-list.ts';
import { validateExpandedValue, type ParameterError } from './validate-parameter.ts';
import { readHostFacts, type HostFacts } from './host-facts.ts';
import { defaultMydomain, defaultMyhostname } from './myhostname-default.ts';
import { defaultMynetworks } from './mynetworks-default.ts';

const PARAMETER_NAME = /^[A-Za-z0-9_]+$/;

/** MainCf - one frozen reading of main.cf; build a new one per reload, never patch one. */
export class MainCf {
  readonly #changed: Readonly<Record<string, string>>;        // as given: the stored values
  readonly #raw = new Map<string, string>();                   // every known name: changed or default, unexpanded
  readonly #expanded = new Map<string, ExpandResult>();        // every known name: $-expanded (templates: raw)
  readonly #definitions = new Map<string, ParameterDefinition>(); // built-ins and declared restriction classes
  readonly #classes: readonly string[];                        // smtpd_restriction_classes, in declared order
  readonly #errors: readonly ParameterError[];                 // what makes this set unusable, by name

  /** Build from the changed values; host facts are read now unless given (tests pass fixed ones). */
  constructor(changed: Readonly<Record<string, string>>, host: HostFacts = readHostFacts()) {
    this.#changed = Object.freeze({ ...changed });
    const errors: ParameterError[] = [];
    const lookup = (name: string) => this.#raw.get(name);
    const expandNow = (text: string) => {
      const result = expandValue(text, lookup);
      return result.ok ? result.value : '';
    };

    for (const def of PARAMETERS) {
      this.#definitions.set(def.name, def);
      if (!def.computed || def.name in changed) this.#raw.set(def.name, changed[def.name] ?? def.default);
    }
    // mail_params_init() order: myhostname (which may use a configured mydomain), then
    // mydomain from myhostname, then mynetworks once everything else is known.
    if (!('myhostname' in changed)) {
      const mydomain = 'mydomain' in changed ? expandNow(changed.mydomain) : '';
      this.#raw.set('myhostname', defaultMyhostname(host.hostname, mydomain || undefined));
    }
    if (!('mydomain' in changed)) this.#raw.set('mydomain', defaultMydomain(expandNow(this.#raw.get('myhostname')!)));
    if (!('mynetworks' in changed)) {
      this.#raw.set('mynetworks', defaultMynetworks(host, {
        mynetworksStyle: expandNow(this.#raw.get('mynetworks_style')!),
        inetInterfaces: splitList(expandNow(this.#raw.get('inet_interfaces')!)),
        inetProtocols: splitList(expandNow(this.#raw.get('inet_protocols')!)),
      }));
    }

    const classes: string[] = [];
    for (const name of splitList(expandNow(this.#raw.get('smtpd_restriction_classes')!))) {
      if (!PARAMETER_NAME.test(name)) {
        errors.push({ name: 'smtpd_restriction_classes', error: `invalid restriction class name "${name}" in parameter smtpd_restriction_classes: use letters, digits and _` });
      } else if (this.#definitions.has(name)) {
        errors.push({ name: 'smtpd_restriction_classes', error: `restriction class name "${name}" in parameter smtpd_restriction_classes is already a parameter name` });
      } else if (!classes.includes(name)) {
        classes.push(name);
        this.#definitions.set(name, restrictionClassDefinition(name));
        this.#raw.set(name, changed[name] ?? '');
      }
    }
    this.#classes = Object.freeze(classes);
    for (const name of Object.keys(changed)) {
      if (!this.#definitions.has(name)) {
        errors.push({ name, error: `unknown parameter name: ${name} (not a built-in parameter, nor a class in smtpd_restriction_classes)` });
      }
    }

    for (const [name, raw] of this.#raw) {
      const def = this.#definitions.get(name)!;
      const result: ExpandResult = def.type === 'template' ? { ok: true, value: raw } : expandValue(raw, lookup, name);
      this.#expanded.set(name, result);
      const syntaxError = findMacroSyntaxError(raw);
      if (syntaxError) {
        errors.push({ name, error: `parameter ${name}: ${syntaxError} (write $$ for a literal $)` });
      } else if (!result.ok) {
        errors.push({ name, error: `parameter ${name}: ${result.error}` });
      } else {
        const checked = validateExpandedValue(def, result.value, raw);
        if (!checked.ok) errors.push({ name, error: checked.error });
      }
    }
    this.#errors = Object.freeze(errors.sort((a, b) => compareNames(a.name, b.name)));
    Object.freeze(this);
  }

  /** names - every parameter name this set knows, built-ins and restriction classes, sorted as postconf sorts. */
  names(): string[] {
    return [...this.#raw.keys()].sort(compareNames);
  }

  /** has - whether name is a built-in parameter or a declared restriction class. */
  has(name: string): boolean {
    return this.#definitions.has(name);
  }

  /** definition - the registry entry of name; a restriction class gets a restriction-list entry. */
  definition(name: string): ParameterDefinition {
    const def = this.#definitions.get(name);
    if (!def) throw new Error(`MainCf: unknown parameter name: ${name}`);
    return def;
  }

  /** restrictionClasses - the class names declared in smtpd_restriction_classes, in order. */
  restrictionClasses(): readonly string[] {
    return this.#classes;
  }

  /** errors - every problem of this set; an empty list means every value can be read. */
  errors(): readonly ParameterError[] {
    return this.#errors;
  }

  /** raw - the changed value or the default, unexpanded, as `postconf` prints it. */
  raw(name: string): string {
    this.definition(name);
    return this.#raw.get(name)!;
  }

  /** get - the value with $name references expanded; templates come back unexpanded. */
  get(name: string): string {
    this.definition(name);
    const result = this.#expanded.get(name)!;
    if (!result.ok) throw new Error(`parameter ${name}: ${result.error}`);
    return result.value;
  }

  /** bool - a yes/no parameter as a boolean. */
  bool(name: string): boolean {
    return this.#checked(name, 'bool').toLowerCase() === 'yes';
  }

  /** int - an integer parameter. */
  int(name: string): number {
    return Number(this.#checked(name, 'int'));
  }

  /** size - a byte-count parameter. */
  size(name: string): number {
    return Number(this.#checked(name, 'size'));
  }

  /** seconds - a time parameter in seconds; a number without unit counts in the parameter's own unit. */
  seconds(name: string): number {
    const value = this.#checked(name, 'time');
    const m = /^(\d+)([smhdw]?)$/.exec(value)!;
    return Number(m[1]) * SECONDS_PER_UNIT[(m[2] || this.definition(name).timeUnit || 's') as TimeUnit];
  }

  /** code - an SMTP reply code parameter. */
  code(name: string): number {
    return Number(this.#checked(name, 'code'));
  }

  /** list - the expanded value split into items on commas and whitespace, `{ }` groups kept whole. */
  list(name: string): string[] {
    return splitList(this.get(name));
  }

  /** isChanged - whether name has a stored value (even one equal to a computed default). */
  isChanged(name: string): boolean {
    this.definition(name);
    return name in this.#changed;
  }

  /** changed - the stored values this set was built from, sorted by name. */
  changed(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.#changed).sort(([a], [b]) => compareNames(a, b)));
  }

  #checked(name: string, type: ParameterDefinition['type']): string {
    const def = this.definition(name);
    if (def.type !== type) throw new Error(`MainCf: parameter ${name} is of type ${def.type}, not ${type}`);
    const value = this.get(name).trim();
    const checked = validateExpandedValue(def, value, this.#raw.get(name));
    if (!checked.ok) throw new Error(checked.error);
    return value;
  }
}

function restrictionClassDefinition(name: string): ParameterDefinition {
  return {
    name, type: 'restriction-list', default: '', stages: ['CONNECT', 'HELO', 'MAIL', 'RCPT', 'VRFY', 'DATA', 'EOD', 'ETRN'],
    help: 'User-defined restriction class declared in smtpd_restriction_classes.',
  };
}

// postconf sorts with strcmp(): byte order, so 2bounce_notice_recipient comes first.
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
