/**
 * The `format`s of the generated schema that constrain a value: the integer formats of the OpenAPI
 * specs. The API server's decoder rejects a number outside its format's range. The other formats
 * the schema keeps (`int-or-string`, `date-time`) are descriptive only.
 */
export interface IntFormat {
  min: number;
  max: number;
  /** What it is, in a message: "Expected a 32-bit integer (from … to …)". */
  text: string;
}

export const INT_FORMATS: Readonly<Record<string, IntFormat>> = {
  int32: { min: -2147483648, max: 2147483647, text: 'a 32-bit integer' },
  int64: { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, text: 'a 64-bit integer' },
};

/**
 * Formats that accept anything of the schema's type: IntOrString is already `type: [integer, string]`,
 * and timestamps are set by the API server.
 */
export const DESCRIPTIVE_FORMATS: readonly string[] = ['int-or-string', 'date-time'];
