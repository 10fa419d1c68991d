/**
 * The name of a connection type's class: the id split at `_` (any run of other characters than
 * letters and digits), each part capitalised, `Connection` appended (`postgresql` ->
 * `PostgresqlConnection`, `amazon_keyspaces` -> `AmazonKeyspacesConnection`). Fixed for good:
 * user programs name the classes.
 */
export function connectionClassName(id: string): string {
  const pascal = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
  return `${pascal}Connection`;
}
