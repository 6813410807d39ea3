"use client";

import { useId, useState } from "react";
import type { ChannelOption } from "@/lib/queries/notification-channels";

/** What a picker sends: null (the default channels, or the app's) or the ids chosen. */
export function channelIdsFromForm(form: FormData): string[] | null {
  if (form.get("channelMode") !== "choose") return null;
  return form.getAll("channelIds").map(String);
}

/**
 * Where a monitor's or an app's alerts go: the defaults (for a monitor of an app: the app's choice, else the
 * default channels), or exactly the channels ticked (none ticked: no alerts).
 */
export function ChannelPicker({ channels, selected, inheritsFrom }: { channels: ChannelOption[]; selected: string[] | null; inheritsFrom: "defaults" | "app" }) {
  const id = useId();
  const [choose, setChoose] = useState(selected !== null);
  const defaults = channels.filter((c) => c.isDefault).map((c) => c.name);
  const inherit = inheritsFrom === "app" ? "Its app’s channels, or the default channels" : `The default channels${defaults.length ? ` (${defaults.join(", ")})` : " (none yet)"}`;
  return (
    <fieldset className="space-y-2 sm:col-span-2" data-testid="channel-picker">
      <legend className="text-sm font-medium text-slate-700">Alerts go to</legend>
      <label className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${id}-default`}>
        <input id={`${id}-default`} type="radio" name="channelMode" value="default" checked={!choose} onChange={() => setChoose(false)} />
        {inherit}
      </label>
      <label className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${id}-choose`}>
        <input id={`${id}-choose`} type="radio" name="channelMode" value="choose" checked={choose} onChange={() => setChoose(true)} />
        These channels only
      </label>
      {choose ? (
        channels.length ? (
          <div className="ml-6 flex flex-wrap gap-x-4 gap-y-1">
            {channels.map((c) => (
              <label key={c.id} className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${id}-${c.id}`}>
                <input id={`${id}-${c.id}`} type="checkbox" name="channelIds" value={c.id} defaultChecked={selected?.includes(c.id) ?? false} className="h-4 w-4 rounded border-slate-300" />
                {c.name}
                {!c.enabled ? <span className="text-xs text-slate-400">(disabled)</span> : null}
              </label>
            ))}
          </div>
        ) : (
          <p className="ml-6 text-sm text-slate-500">No channels yet: add one under Alerts.</p>
        )
      ) : null}
    </fieldset>
  );
}
