/**
 * Registry parameters that describe where a Postfix installation keeps its files, not policy:
 * config_directory, which for an imported main.cf is the folder the file is in, and
 * command_directory. Import does not store them and export does not write them, so an
 * exported folder can be imported from wherever it is copied to.
 * Exports: FILE_LOCATION_PARAMETERS (name -> why it is left out).
 */
export const FILE_LOCATION_PARAMETERS: ReadonlyMap<string, string> = new Map([
  ['config_directory', '$config_directory means the folder of the imported file'],
  ['command_directory', 'Portcullis has no Postfix administration commands to find'],
]);
