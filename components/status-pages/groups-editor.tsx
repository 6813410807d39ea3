"use client";

import { useId } from "react";
import { Button, Field, TextInput } from "@/components/ui/form";

export interface GroupDraft {
  name: string;
  monitorIds: string[];
  displayNames: Record<string, string>;
}

export interface MonitorOption {
  id: string;
  name: string;
  target: string;
}

function GroupError({ message }: { message: string | undefined }) {
  return message ? (
    <p className="text-sm font-medium text-rose-700" data-field-error>
      {message}
    </p>
  ) : null;
}

/**
 * The page's groups: a name each, and the monitors picked for it (in the order picked) under the names the
 * public sees. The fieldsets carry the names of the input's fields (`groups`, `groups.1`, `groups.1.name`) so
 * that a problem the server finds shows in its group (useActionForm).
 */
export function GroupsEditor({ groups, monitors, onChange, errorOf }: { groups: GroupDraft[]; monitors: MonitorOption[]; onChange(groups: GroupDraft[]): void; errorOf: (name: string) => string | undefined }) {
  const id = useId();
  const set = (i: number, g: GroupDraft) => onChange(groups.map((x, n) => (n === i ? g : x)));
  const toggle = (i: number, g: GroupDraft, monitorId: string, on: boolean) => set(i, { ...g, monitorIds: on ? [...g.monitorIds, monitorId] : g.monitorIds.filter((m) => m !== monitorId) });
  return (
    <fieldset name="groups" className="space-y-3">
      <legend className="text-sm font-medium text-slate-700">Groups</legend>
      {monitors.length === 0 ? <p className="text-sm text-slate-500">No monitors yet: add one on the Monitors page first.</p> : null}
      {groups.map((g, i) => (
        <fieldset key={i} name={`groups.${i}`} aria-label={`Group ${i + 1}`} className="space-y-3 rounded-md p-3 ring-1 ring-slate-200" data-testid="group-editor">
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1">
              <Field label="Group name" error={errorOf(`groups.${i}.name`)}>
                <TextInput name={`groups.${i}.name`} value={g.name} onChange={(e) => set(i, { ...g, name: e.target.value })} placeholder="Website" required />
              </Field>
            </div>
            <Button type="button" variant="secondary" onClick={() => onChange(groups.filter((_, n) => n !== i))}>
              Remove group
            </Button>
          </div>
          <ul className="space-y-2">
            {monitors.map((m) => {
              const checked = g.monitorIds.includes(m.id);
              return (
                <li key={m.id} className="flex flex-wrap items-center gap-2 text-sm">
                  <label className="flex min-w-0 items-center gap-2" htmlFor={`${id}-g${i}-${m.id}`}>
                    <input id={`${id}-g${i}-${m.id}`} type="checkbox" checked={checked} onChange={(e) => toggle(i, g, m.id, e.target.checked)} className="h-4 w-4 rounded border-slate-300" />
                    <span className="min-w-0 break-words">{m.name}</span>
                    <span className="min-w-0 break-all text-xs text-slate-500">{m.target}</span>
                  </label>
                  {checked ? (
                    <TextInput
                      name={`groups.${i}.displayNames.${m.id}`}
                      aria-label={`Public name of ${m.name}`}
                      className="sm:max-w-xs"
                      placeholder={`Public name (default: ${m.name})`}
                      value={g.displayNames[m.id] ?? ""}
                      onChange={(e) => set(i, { ...g, displayNames: { ...g.displayNames, [m.id]: e.target.value } })}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
          <GroupError message={errorOf(`groups.${i}`)} />
        </fieldset>
      ))}
      <Button type="button" variant="secondary" onClick={() => onChange([...groups, { name: "", monitorIds: [], displayNames: {} }])}>
        Add a group
      </Button>
      <GroupError message={errorOf("groups")} />
    </fieldset>
  );
}

/** What the API takes: empty public names are left out (the monitor's own name is shown). */
export function groupsInput(groups: GroupDraft[]) {
  return groups.map((g) => ({
    name: g.name,
    monitorIds: g.monitorIds,
    displayNames: Object.fromEntries(Object.entries(g.displayNames).filter(([k, v]) => v.trim() && g.monitorIds.includes(k))),
  }));
}
