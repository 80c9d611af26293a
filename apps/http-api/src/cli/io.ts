/** Where a command writes: injected so tests capture output. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** True when stderr is a terminal, so a progress bar may redraw one line. */
  readonly errIsTty: boolean;
}
