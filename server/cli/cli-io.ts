/** What every subcommand is given: the data folder and where to print. */
export interface CliIo {
  dataDir: string;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}
