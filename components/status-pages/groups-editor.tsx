"use client";

import { useId } from "react";
import { Button, TextInput } from "@/components/ui/form";

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

/** The page's groups: a name each, and the monitors picked for it (in the order picked) under the names the public sees. */
export function GroupsEditor({ groups, monitors, onChange, error }: { groups: GroupDraft[]; monitors: MonitorOption[]; onChange(groups: GroupDraft[]): void; error: { index: number | null; message: string } | null }) {
  const id = useId();
  const set = (i: number, g: GroupDraft) => onChange(groups.map((x, n) => (n === i ? g : x)));
  const toggle = (i: number, g: GroupDraft, monitorId: string, on: boolean) => set(i, { ...g, monitorIds: on ? [...g.monitorIds, monitorId] : g.monitorIds.filter((m) => m !== monitorId) });
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700">Groups</legend>
      {monitors.length === 0 ? <p className="text-sm text-slate-500">No monitors yet: add one on the Monitors page first.</p> : null}
      {groups.map((g, i) => (
        <div key={i} className="space-y-3 rounded-md p-3 ring-1 ring-slate-200" data-testid="group-editor">
          <div className="flex flex-wrap items-end gap-2">
            <div className="min-w-0 flex-1 space-y-1">
              <label htmlFor={`${id}-g${i}`} className="block text-sm font-medium text-slate-700">
                Group name
              </label>
              <TextInput id={`${id}-g${i}`} value={g.name} onChange={(e) => set(i, { ...g, name: e.target.value })} placeholder="Website" required />
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
          {error && error.index === i ? (
            <p role="alert" className="text-xs text-rose-700">
              {error.message}
            </p>
          ) : null}
        </div>
      ))}
      <Button type="button" variant="secondary" onClick={() => onChange([...groups, { name: "", monitorIds: [], displayNames: {} }])}>
        Add a group
      </Button>
      {error && error.index === null ? (
        <p role="alert" className="text-xs text-rose-700">
          {error.message}
        </p>
      ) : null}
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
