"use client";

import { useTheme } from "next-themes";
import { classes } from "@/components/ui/classes";
import { useHydrated } from "@/components/use-hydrated";

const CHOICES = [
  { value: "system", label: "System", icon: "◐" },
  { value: "light", label: "Light", icon: "☀" },
  { value: "dark", label: "Dark", icon: "☾" },
] as const;

/** Three buttons, one pressed: follow the system, or always light, or always dark. `compact`: icons only (the names stay for screen readers and as tooltips). */
export function ThemeToggle({ compact = false, className }: { compact?: boolean; className?: string }) {
  const { theme, setTheme } = useTheme();
  const hydrated = useHydrated();
  return (
    <div role="group" aria-label="Theme" className={classes("inline-flex shrink-0 rounded-md p-0.5 ring-1 ring-slate-200", className)} data-testid="theme-toggle">
      {CHOICES.map((c) => {
        const pressed = hydrated && theme === c.value;
        return (
          <button
            key={c.value}
            type="button"
            aria-pressed={pressed}
            title={`${c.label} theme`}
            onClick={() => setTheme(c.value)}
            className={classes("rounded px-2 py-1 text-xs", pressed ? "bg-slate-100 font-semibold text-slate-900" : "text-slate-600 hover:text-slate-900")}
          >
            <span aria-hidden="true">{c.icon}</span> <span className={compact ? "sr-only" : undefined}>{c.label}</span>
          </button>
        );
      })}
    </div>
  );
}
