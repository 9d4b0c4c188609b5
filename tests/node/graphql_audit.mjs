// graphql-http's server audit (GraphQL over HTTP conformance) against one URL.
// Usage: node graphql_audit.mjs http://127.0.0.1:PORT/graphql
// Prints one JSON array: [{id, name, status: "ok" | "warn" | "error" | "notice", reason?}].
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node graphql_audit.mjs URL");
  process.exit(2);
}
const results = await auditServer({ url });
console.log(
  JSON.stringify(
    results.map(({ id, name, status, reason }) => ({ id, name, status, reason })),
  ),
);
