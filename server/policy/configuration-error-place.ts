/**
 * Where a refusal of the policy compiler or the registry points: the restriction list (or
 * class) and the step it names, read from the message as compile-policy.ts and
 * parse-restriction-list.ts write it (`in parameter NAME, step N "word": reason`), so the
 * console can show it next to that step.
 * Exports: ConfigurationErrorPlace, placeConfigurationError.
 * A message that names no single list (no relay guard, a bad boolean) has no place: the whole
 * policy is at fault.
 */

export interface ConfigurationErrorPlace {
  parameter: string | null; // the list or class named, if one is
  index: number | null;     // the compiler's 1-based step number (warn_if_reject counts as a step)
  text: string;             // the reason, without the place when the place was read off
}

const STEP_MESSAGE = /^in parameter ([A-Za-z0-9_]+), step (\d+) "[^"]*": ([\s\S]*)$/;
const LIST_MESSAGE = /^in parameter ([A-Za-z0-9_]+): ([\s\S]*)$/;
const CLASS_MESSAGE = /^restriction class `([A-Za-z0-9_]+)' needs a definition$/;

/** placeConfigurationError - the list and step a message is about, when it names them. */
export function placeConfigurationError(message: string): ConfigurationErrorPlace {
  const step = STEP_MESSAGE.exec(message);
  if (step) return { parameter: step[1], index: Number(step[2]), text: step[3] };
  const list = LIST_MESSAGE.exec(message);
  if (list) return { parameter: list[1], index: null, text: list[2] };
  const undefinedClass = CLASS_MESSAGE.exec(message);
  if (undefinedClass) return { parameter: undefinedClass[1], index: null, text: message };
  return { parameter: null, index: null, text: message };
}
