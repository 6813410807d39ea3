"use client";

import { useRef, useState } from "react";
import { Button, Field, Select, TextInput } from "../ui/form";

/** The response assertion operators (lib/health/assertions.ts ASSERTION_OPS; kept here so the form bundle has no server code). */
const OPS = ["==", "!=", "<", "<=", ">", ">=", "contains", "exists"] as const;

export interface AssertionRow {
  path: string;
  op: string;
  value: string;
}

/** The rows of the assertion editor as the API takes them: rows without a path are left out. */
export function assertionsFromForm(f: FormData): { path: string; op: string; value?: string }[] {
  const paths = f.getAll("assertionPath").map(String);
  const ops = f.getAll("assertionOp").map(String);
  const values = f.getAll("assertionValue").map(String);
  return paths.flatMap((path, i) => {
    if (!path.trim()) return [];
    const op = ops[i] ?? "==";
    return [op === "exists" ? { path: path.trim(), op } : { path: path.trim(), op, value: values[i] ?? "" }];
  });
}

/** "30, 14, 7" → [30, 14, 7]; an empty field means the default thresholds. */
export function certWarnDaysFromForm(f: FormData): (string | number)[] | undefined {
  const text = String(f.get("certWarnDays") ?? "").trim();
  if (!text) return undefined;
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((d) => (/^\d+$/.test(d) ? Number(d) : d));
}

let nextKey = 0;

/** JSON body conditions: one row per assertion, added and removed with buttons (each reachable by keyboard). */
export function AssertionEditor({ initial }: { initial: AssertionRow[] }) {
  const [rows, setRows] = useState(() => initial.map((r) => ({ ...r, key: nextKey++ })));
  const list = useRef<HTMLDivElement>(null);
  const add = () => {
    setRows((r) => [...r, { path: "$.", op: "==", value: "", key: nextKey++ }]);
    // Focus the new row's path, so typing continues there.
    requestAnimationFrame(() => list.current?.querySelector<HTMLInputElement>("[data-row]:last-of-type input[name=assertionPath]")?.focus());
  };
  return (
    <fieldset className="space-y-2 sm:col-span-2 lg:col-span-4" data-testid="assertion-editor">
      <legend className="text-sm font-medium text-slate-700">JSON assertions (optional)</legend>
      <p className="text-xs text-slate-500">
        Down unless every condition holds on the JSON body. Paths: <code>$.status</code>, <code>$.checks[0].ok</code>, <code>$[&apos;odd key&apos;]</code>.
      </p>
      <div ref={list} className="space-y-2">
        {rows.map((row, i) => (
          <div key={row.key} data-row className="grid grid-cols-[1fr_auto] gap-2 sm:grid-cols-[2fr_8rem_2fr_auto]">
            <TextInput name="assertionPath" aria-label={`Assertion ${i + 1} path`} defaultValue={row.path} placeholder="$.status" className="font-mono" />
            <Select name="assertionOp" aria-label={`Assertion ${i + 1} comparison`} defaultValue={row.op} onChange={(e) => setRows((r) => r.map((x) => (x.key === row.key ? { ...x, op: e.target.value } : x)))}>
              {OPS.map((op) => (
                <option key={op}>{op}</option>
              ))}
            </Select>
            <TextInput
              name="assertionValue"
              aria-label={`Assertion ${i + 1} value`}
              defaultValue={row.value}
              placeholder={row.op === "exists" ? "(no value)" : '"ok", 200, true'}
              readOnly={row.op === "exists"}
              aria-readonly={row.op === "exists"}
              className={row.op === "exists" ? "bg-slate-100" : ""}
            />
            <Button type="button" variant="secondary" aria-label={`Remove assertion ${i + 1}`} onClick={() => setRows((r) => r.filter((x) => x.key !== row.key))}>
              Remove
            </Button>
          </div>
        ))}
      </div>
      <Button type="button" variant="secondary" onClick={add}>
        Add assertion
      </Button>
    </fieldset>
  );
}

/** The degraded threshold (every type) and the certificate warning days (HTTPS and certificate monitors). */
export function CheckOptionFields({ degradedAfterMs, certWarnDays, tls }: { degradedAfterMs: string; certWarnDays: string; tls: boolean }) {
  return (
    <>
      <Field label="Degraded above (ms, optional)" hint="A check that succeeds slower than this marks the monitor degraded (amber), not down.">
        <TextInput name="degradedAfterMs" type="number" min={1} max={120000} defaultValue={degradedAfterMs} placeholder="e.g. 1500" />
      </Field>
      {tls ? (
        <Field label="Certificate warnings (days)" hint="One alert as the certificate comes within each; empty: 30, 14, 7.">
          <TextInput name="certWarnDays" defaultValue={certWarnDays} placeholder="30, 14, 7" inputMode="numeric" />
        </Field>
      ) : null}
    </>
  );
}
