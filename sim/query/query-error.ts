/** A query the parser cannot read; becomes mail.QUERY_PARSE_ERROR (curTok, colNo, parserErr). */
export class QuerySyntaxError extends Error {
  readonly token: string;
  readonly column: number;

  constructor(message: string, token: string, column: number) {
    super(message);
    this.name = 'QuerySyntaxError';
    this.token = token;
    this.column = column;
  }
}
