"use client";

import { useRouter } from "next/navigation";
import { useState, useSyncExternalStore } from "react";
import type { Action } from "../use-server-action";
import { useActionForm } from "../use-action-form";
import { ErrorMessage, Field, SubmitButton, TextInput } from "../ui/form";
import { notify } from "../ui/toaster";

type Option = { id: string; name: string };

const noSubscription = () => () => undefined;

/** A datetime-local value (the browser's local time) as an ISO instant; "" stays "" (the server names the missing field). */
function toIso(local: FormDataEntryValue | null): string | undefined {
  const v = typeof local === "string" ? local.trim() : "";
  if (!v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? v : d.toISOString();
}

function text(v: FormDataEntryValue | null): string | undefined {
  const s = typeof v === "string" ? v.trim() : "";
  return s || undefined;
}

function Checklist({ legend, name, options }: { legend: string; name: string; options: Option[] }) {
  return (
    <fieldset className="min-w-0">
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      {options.length === 0 ? <p className="text-sm text-slate-500">None yet.</p> : null}
      <div className="mt-1 max-h-48 space-y-1 overflow-y-auto">
        {options.map((o) => (
          <label key={o.id} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name={name} value={o.id} className="h-4 w-4" />
            <span className="break-all">{o.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** One-off (from–to, in this browser's time) or recurring (cron or an RFC 5545 RRULE in a time zone, for a duration), for chosen monitors and apps or everything. */
export function MaintenanceForm({ action, monitors, apps }: { action: Action; monitors: Option[]; apps: Option[] }) {
  const router = useRouter();
  const [kind, setKind] = useState<"one-off" | "recurring">("one-off");
  const [repeats, setRepeats] = useState<"cron" | "rrule">("cron");
  const [scope, setScope] = useState<"chosen" | "all">("chosen");
  // The server renders UTC; the browser then offers its own zone (keyed, so the field takes the new default).
  const browserZone = useSyncExternalStore(
    noSubscription,
    () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    () => "UTC",
  );
  const toInput = (f: FormData) => {
    const when = kind === "one-off" ? { startsAt: toIso(f.get("startsAt")), endsAt: toIso(f.get("endsAt")) } : { [repeats]: text(f.get(repeats)), durationMinutes: text(f.get("durationMinutes")), timeZone: text(f.get("timeZone")) };
    const covers = scope === "all" ? { all: true } : { monitorIds: f.getAll("monitorIds").map(String), appIds: f.getAll("appIds").map(String) };
    return { name: f.get("name"), ...when, ...covers };
  };
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, (_data, form) => {
    form.reset();
    notify("Maintenance window added");
    router.refresh();
  });
  return (
    <form data-testid="maintenance-form" className="grid gap-4 sm:grid-cols-2" {...formProps}>
      <Field label="Name" error={errorOf("name")}>
        <TextInput name="name" required maxLength={100} placeholder="Database upgrade" />
      </Field>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-slate-700">When</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" checked={kind === "one-off"} onChange={() => setKind("one-off")} /> Once
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="kind" checked={kind === "recurring"} onChange={() => setKind("recurring")} /> Recurring
          </label>
        </div>
      </fieldset>
      {kind === "one-off" ? (
        <>
          <Field label="Starts" error={errorOf("startsAt")} hint="In this browser's time zone.">
            <TextInput type="datetime-local" name="startsAt" required />
          </Field>
          <Field label="Ends" error={errorOf("endsAt")}>
            <TextInput type="datetime-local" name="endsAt" required />
          </Field>
        </>
      ) : (
        <>
          <fieldset className="space-y-1 sm:col-span-2">
            <legend className="text-sm font-medium text-slate-700">Repeats by</legend>
            <div className="flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" name="repeats" checked={repeats === "cron"} onChange={() => setRepeats("cron")} /> Cron expression
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" name="repeats" checked={repeats === "rrule"} onChange={() => setRepeats("rrule")} /> Calendar rule (RRULE)
              </label>
            </div>
          </fieldset>
          {repeats === "cron" ? (
            <Field label="Cron expression" error={errorOf("cron")} hint={'Five fields: minute hour day month weekday. "0 3 * * 0" is Sundays at 03:00.'}>
              <TextInput name="cron" required placeholder="0 3 * * 0" className="font-mono" />
            </Field>
          ) : (
            <Field label="RRULE" error={errorOf("rrule")} hint={'RFC 5545, as calendars write it: "FREQ=MONTHLY;BYDAY=1SU;BYHOUR=3;BYMINUTE=0" is the first Sunday of each month at 03:00. DAILY to YEARLY.'}>
              <TextInput name="rrule" required maxLength={300} placeholder="FREQ=MONTHLY;BYDAY=1SU;BYHOUR=3;BYMINUTE=0" className="font-mono" />
            </Field>
          )}
          <Field label="Duration (minutes)" error={errorOf("durationMinutes")}>
            <TextInput name="durationMinutes" type="number" min={1} required defaultValue={60} />
          </Field>
          <Field label="Time zone" error={errorOf("timeZone")} hint="An IANA name; the window keeps its local time across daylight saving changes.">
            <TextInput key={browserZone} name="timeZone" required defaultValue={browserZone} />
          </Field>
        </>
      )}
      <fieldset className="space-y-2 sm:col-span-2">
        <legend className="text-sm font-medium text-slate-700">Covers</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="scope" checked={scope === "chosen"} onChange={() => setScope("chosen")} /> Chosen monitors and apps
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} /> Every monitor
          </label>
        </div>
        {scope === "chosen" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <Checklist legend="Monitors" name="monitorIds" options={monitors} />
            <Checklist legend="Apps (all their monitors)" name="appIds" options={apps} />
          </div>
        ) : null}
      </fieldset>
      <div className="space-y-2 sm:col-span-2">
        <SubmitButton pending={pending} pendingLabel="Adding…">
          Add maintenance window
        </SubmitButton>
        {/* A field's own error shows beside it; the rest (a refused save) here. */}
        <ErrorMessage>{state.formError}</ErrorMessage>
      </div>
    </form>
  );
}
