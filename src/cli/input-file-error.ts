/**
 * A file given by the user that cannot be read as what it should be, named by file:line:col.
 * Commands turn it into an InputError (exit 2).
 */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string
  ) {
    super(`${file}:${line}:${column}: ${detail}`)
    this.name = "InputFileError"
  }
}
