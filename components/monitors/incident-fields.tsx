import { Field, Select, TextInput } from "../ui/form";

/** The monitor form's incident settings: the monitor it depends on, and how often a down alert is repeated. */
export function IncidentFields({ monitors, selfId, dependsOnId, renotifyMinutes }: { monitors: { id: string; name: string }[]; selfId?: string; dependsOnId: string; renotifyMinutes: string }) {
  return (
    <>
      <Field label="Depends on (optional)" hint="While that monitor is down, this one's alerts are held back and its incident says so.">
        <Select name="dependsOnId" defaultValue={dependsOnId}>
          <option value="">Nothing</option>
          {monitors
            .filter((m) => m.id !== selfId)
            .map((m) => (
              <option key={m.id} value={m.id}>
                {m.name}
              </option>
            ))}
        </Select>
      </Field>
      <Field label="Remind every (minutes)" hint="While down and not acknowledged; empty: never.">
        <TextInput name="renotifyMinutes" type="number" min={1} max={10080} defaultValue={renotifyMinutes} placeholder="never" />
      </Field>
    </>
  );
}

/** What the incident fields send: null clears either. */
export function incidentFieldsFromForm(f: FormData): { dependsOnId: string | null; renotifyMinutes: string | null } {
  const get = (k: string) => String(f.get(k) ?? "").trim();
  return { dependsOnId: get("dependsOnId") || null, renotifyMinutes: get("renotifyMinutes") || null };
}
