// Reads an l2o trajectories.arrow file with the JavaScript Arrow implementation (npm package
// apache-arrow) and checks its columns and types: a cross-implementation check of the format.
// Usage: npm install apache-arrow && node tools/check-arrow.mjs FILE
import { readFileSync } from "node:fs";
import { tableFromIPC } from "apache-arrow";

const expected = {
  run_id: "Utf8", optimizer: "Utf8", objective: "Utf8", seed: "Int64", step: "Int32",
  value: "Float64", observed_value: "Float64", grad_norm: "Float64", step_norm: "Float64",
  evaluations: "Int64", wall_nanos: "Int64",
};
const table = tableFromIPC(readFileSync(process.argv[2]));
let ok = true;
for (const [name, type] of Object.entries(expected)) {
  const field = table.schema.fields.find((f) => f.name === name);
  const actual = field ? String(field.type) : "missing";
  if (!actual.startsWith(type)) {
    console.log(`column ${name}: expected ${type}, found ${actual}`);
    ok = false;
  }
}
const runs = new Set(table.getChild("run_id").toArray());
const first = table.get(0).toJSON();
console.log(`${table.numRows} rows, ${runs.size} runs; first row: ${JSON.stringify(first, (k, v) =>
  typeof v === "bigint" ? Number(v) : v)}`);
process.exit(ok ? 0 : 1);
