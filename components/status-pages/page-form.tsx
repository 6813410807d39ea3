"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { StatusPageView } from "@/lib/queries/status-pages";
import { useServerAction, type Action } from "@/components/use-server-action";
import { Button, ErrorMessage, TextInput } from "@/components/ui/form";
import { GroupsEditor, groupsInput, type GroupDraft, type MonitorOption } from "./groups-editor";

/** "groups.1.monitorIds.0: …" → which field (and which group) an error belongs to. */
function placeOf(error: string | null): { field: string | null; group: number | null; message: string } | null {
  if (!error) return null;
  const m = /^([A-Za-z][A-Za-z0-9.]*): (.*)$/s.exec(error);
  if (!m) return { field: null, group: null, message: error };
  const [head, index] = m[1]!.split(".");
  return { field: head!, group: head === "groups" && index !== undefined ? Number(index) : null, message: error };
}

function draftsOf(page: StatusPageView | undefined): GroupDraft[] {
  if (!page) return [{ name: "Services", monitorIds: [], displayNames: {} }];
  return page.groups.map((g) => ({ name: g.name, monitorIds: g.monitors.map((m) => m.monitorId), displayNames: Object.fromEntries(g.monitors.filter((m) => m.displayName).map((m) => [m.monitorId, m.displayName!])) }));
}

function FieldLine({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p id={id} role="alert" className="text-xs text-rose-700">
      {message}
    </p>
  ) : null;
}

/** Creates a page, or (given `page`) changes one: slug, title, logo, footer, targets shown or not, and its groups. */
export function StatusPageForm({ page, monitors, action, onDone }: { page?: StatusPageView; monitors: MonitorOption[]; action: Action<StatusPageView>; onDone?(): void }) {
  const router = useRouter();
  const id = useId();
  const { error, pending, run } = useServerAction(action);
  const [groups, setGroups] = useState<GroupDraft[]>(() => draftsOf(page));
  const problem = placeOf(error);
  const at = (field: string) => (problem?.field === field ? problem.message : null);
  const text = (f: FormData, k: string) => String(f.get(k) ?? "").trim();
  const fields: [string, string, string, string][] = [
    ["slug", "Address", "acme", "Lowercase letters, digits and hyphens: the page is /status/<address>."],
    ["title", "Title", "Acme status", ""],
    ["logoUrl", "Logo", "/logo.png or data:image/png;base64,…", "A path on this site or a data:image URL (optional)."],
    ["footer", "Footer", "Questions? support@acme.example", "Plain text under the page (optional)."],
  ];
  return (
    <form
      data-testid="status-page-form"
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const formEl = e.currentTarget;
        const f = new FormData(formEl);
        const input = { slug: text(f, "slug"), title: text(f, "title"), logoUrl: text(f, "logoUrl") || null, footer: text(f, "footer") || null, showTargets: f.get("showTargets") === "on", groups: groupsInput(groups) };
        run(page ? { id: page.id, ...input } : input, () => {
          if (!page) {
            formEl.reset();
            setGroups(draftsOf(undefined));
          }
          router.refresh();
          onDone?.();
        });
      }}
    >
      <div className="grid gap-3 sm:grid-cols-2">
        {fields.map(([name, label, placeholder, hint]) => (
          <div key={name} className="space-y-1">
            <label htmlFor={`${id}-${name}`} className="block text-sm font-medium text-slate-700">
              {label}
              {name === "slug" || name === "title" ? <span className="text-rose-600"> *</span> : null}
            </label>
            <TextInput
              id={`${id}-${name}`}
              name={name}
              required={name === "slug" || name === "title"}
              placeholder={placeholder}
              defaultValue={page ? String(page[name as "slug" | "title" | "logoUrl" | "footer"] ?? "") : ""}
              aria-invalid={at(name) ? true : undefined}
              aria-describedby={at(name) ? `${id}-${name}-error` : undefined}
            />
            {hint ? <p className="text-xs text-slate-500">{hint}</p> : null}
            <FieldLine id={`${id}-${name}-error`} message={at(name)} />
          </div>
        ))}
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${id}-targets`}>
        <input id={`${id}-targets`} type="checkbox" name="showTargets" defaultChecked={page?.showTargets ?? false} className="h-4 w-4 rounded border-slate-300" />
        Show each monitor&apos;s URL or host to the public
      </label>
      <GroupsEditor groups={groups} monitors={monitors} onChange={setGroups} error={problem?.field === "groups" ? { index: problem.group, message: problem.message } : null} />
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : page ? "Save page" : "Create page"}
      </Button>
      <ErrorMessage>{problem && !["slug", "title", "logoUrl", "footer", "groups"].includes(problem.field ?? "") ? problem.message : null}</ErrorMessage>
    </form>
  );
}
