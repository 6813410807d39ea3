"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { StatusPageView } from "@/lib/queries/status-pages";
import type { Action } from "@/components/use-server-action";
import { useActionForm } from "@/components/use-action-form";
import { ErrorMessage, Field, SubmitButton, TextInput } from "@/components/ui/form";
import { GroupsEditor, groupsInput, type GroupDraft, type MonitorOption } from "./groups-editor";

function draftsOf(page: StatusPageView | undefined): GroupDraft[] {
  if (!page) return [{ name: "Services", monitorIds: [], displayNames: {} }];
  return page.groups.map((g) => ({ name: g.name, monitorIds: g.monitors.map((m) => m.monitorId), displayNames: Object.fromEntries(g.monitors.filter((m) => m.displayName).map((m) => [m.monitorId, m.displayName!])) }));
}

const FIELDS: { name: "slug" | "title" | "logoUrl" | "footer"; label: string; placeholder: string; hint?: string }[] = [
  { name: "slug", label: "Address", placeholder: "acme", hint: "Lowercase letters, digits and hyphens: the page is /status/<address>." },
  { name: "title", label: "Title", placeholder: "Acme status" },
  { name: "logoUrl", label: "Logo", placeholder: "/logo.png or data:image/png;base64,…", hint: "A path on this site or a data:image URL (optional)." },
  { name: "footer", label: "Footer", placeholder: "Questions? support@acme.example", hint: "Plain text under the page (optional)." },
];

/** Creates a page, or (given `page`) changes one: slug, title, logo, footer, targets shown or not, and its groups. */
export function StatusPageForm({ page, monitors, action, onDone }: { page?: StatusPageView; monitors: MonitorOption[]; action: Action<StatusPageView>; onDone?(): void }) {
  const router = useRouter();
  const [groups, setGroups] = useState<GroupDraft[]>(() => draftsOf(page));
  const text = (f: FormData, k: string) => String(f.get(k) ?? "").trim();
  const toInput = (f: FormData) => {
    const input = { slug: text(f, "slug"), title: text(f, "title"), logoUrl: text(f, "logoUrl") || null, footer: text(f, "footer") || null, showTargets: f.get("showTargets") === "on", groups: groupsInput(groups) };
    return page ? { id: page.id, ...input } : input;
  };
  const { state, pending, errorOf, formProps } = useActionForm(action, toInput, (_saved, form) => {
    if (!page) {
      form.reset();
      setGroups(draftsOf(undefined));
    }
    router.refresh();
    onDone?.();
  });
  return (
    <form data-testid="status-page-form" className="space-y-4" {...formProps}>
      <div className="grid gap-3 sm:grid-cols-2">
        {FIELDS.map((field) => (
          <Field key={field.name} label={field.label} hint={field.hint} error={errorOf(field.name)}>
            <TextInput name={field.name} required={field.name === "slug" || field.name === "title"} placeholder={field.placeholder} defaultValue={page ? String(page[field.name] ?? "") : ""} />
          </Field>
        ))}
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" name="showTargets" defaultChecked={page?.showTargets ?? false} className="h-4 w-4 rounded border-slate-300" />
        Show each monitor&apos;s URL or host to the public
      </label>
      <GroupsEditor groups={groups} monitors={monitors} onChange={setGroups} errorOf={errorOf} />
      <SubmitButton pending={pending} pendingLabel="Saving…">
        {page ? "Save page" : "Create page"}
      </SubmitButton>
      <ErrorMessage>{state.formError}</ErrorMessage>
    </form>
  );
}
