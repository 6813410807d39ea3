import { cloneElement, isValidElement, useId, type InputHTMLAttributes, type ButtonHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

type Described = { "aria-invalid"?: boolean; "aria-describedby"?: string };

/**
 * A labelled control with its hint and its error underneath, both tied to the control (aria-describedby),
 * and the control marked aria-invalid while the error shows. The one control is its only child.
 */
export function Field({ label, hint, error, children }: { label: string; hint?: ReactNode; error?: string | null; children: ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  const control = isValidElement<Described>(children) ? cloneElement(children, { "aria-invalid": error ? true : undefined, "aria-describedby": describedBy }) : children;
  return (
    <div className="space-y-1">
      <label className="block space-y-1">
        <span className="text-sm font-medium text-slate-700">{label}</span>
        {control}
      </label>
      {/* Outside the label, so the field's accessible name is the label alone. */}
      {error ? (
        <p id={errorId} className="text-sm font-medium text-rose-700" data-field-error>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const CONTROL =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-invalid:border-rose-500 aria-invalid:ring-1 aria-invalid:ring-rose-500";

export function TextArea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea {...props} className={`${CONTROL} ${props.className ?? ""}`} />;
}

export function TextInput(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`${CONTROL} disabled:bg-slate-100 ${props.className ?? ""}`} />;
}

export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className={`${CONTROL} ${props.className ?? ""}`} />;
}

const BUTTON_TONES = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-300",
  secondary: "bg-white text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50 disabled:text-slate-400",
  danger: "bg-rose-600 text-white hover:bg-rose-500 disabled:bg-rose-300",
} as const;
export type ButtonVariant = keyof typeof BUTTON_TONES;

/** A button's classes, also for a link that looks like one ("New app", "Export CSV"). */
export function buttonClass(variant: ButtonVariant = "primary", className?: string): string {
  return `inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-semibold shadow-sm disabled:cursor-not-allowed ${BUTTON_TONES[variant]} ${className ?? ""}`.trimEnd();
}

export function Button({ variant = "primary", className, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant }) {
  return <button {...props} className={buttonClass(variant, className)} />;
}

export function ErrorMessage({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700 ring-1 ring-rose-200">
      {children}
    </p>
  );
}

/** A form's submit button: disabled and saying so (`pendingLabel`, aria-busy) while the action runs. */
export function SubmitButton({ pending, pendingLabel, children, ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: ButtonVariant; pending: boolean; pendingLabel: string }) {
  return (
    <Button type="submit" {...props} disabled={pending || props.disabled} aria-busy={pending || undefined}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
