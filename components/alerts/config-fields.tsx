import { TextInput } from "../ui/form";
import { PROVIDER_FIELDS, SEVERITY_LABELS, SEVERITY_NAMES, type ChannelTypeName, type FieldSpec } from "./provider-fields";

const textarea = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-xs shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

/** A field's error, next to it as Field shows one; the input points at it with aria-describedby. */
function FieldError({ id, message }: { id: string; message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p id={id} className="text-sm font-medium text-rose-700" data-field-error>
      {message}
    </p>
  );
}

function stringValue(v: unknown): string {
  if (Array.isArray(v)) return v.join(", ");
  return v === undefined || v === null ? "" : String(v);
}

function ConfigField({ spec, idPrefix, existing, secretSet, error }: { spec: FieldSpec; idPrefix: string; existing?: Record<string, unknown>; secretSet: boolean; error?: string }) {
  const id = `${idPrefix}-${spec.name}`;
  const errorId = `${id}-error`;
  const name = `config.${spec.name}`;
  const editing = existing !== undefined;
  const described = error ? errorId : undefined;
  if (spec.kind === "checkbox") {
    const checked = editing && existing[spec.name] !== undefined ? existing[spec.name] === true : (spec.defaultChecked ?? false);
    return (
      <div className="flex items-center gap-2 self-end pb-2">
        <input id={id} type="checkbox" name={name} defaultChecked={checked} aria-invalid={error ? true : undefined} aria-describedby={described} className="h-4 w-4 rounded border-slate-300" />
        <label htmlFor={id} className="text-sm text-slate-700">
          {spec.label}
        </label>
        <FieldError id={errorId} message={error} />
      </div>
    );
  }
  const secretHint = spec.secret && editing && secretSet ? "Set. Leave blank to keep it." : undefined;
  const hint = [secretHint, spec.hint].filter(Boolean).join(" ");
  const common = {
    id,
    name,
    placeholder: spec.placeholder,
    required: spec.required && !(editing && spec.secret),
    defaultValue: spec.secret ? "" : stringValue(existing?.[spec.name]),
    "aria-invalid": error ? true : undefined,
    "aria-describedby": [described, hint ? `${id}-hint` : undefined].filter(Boolean).join(" ") || undefined,
  };
  return (
    <div className={`space-y-1 ${spec.kind === "textarea" ? "sm:col-span-2" : ""}`}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {spec.label}
        {spec.required ? <span className="text-rose-600"> *</span> : null}
      </label>
      {spec.kind === "textarea" ? (
        <textarea {...common} rows={3} className={textarea} />
      ) : (
        <TextInput {...common} type={spec.kind === "password" ? "password" : spec.kind === "number" ? "number" : spec.kind === "url" ? "url" : "text"} autoComplete={spec.secret ? "new-password" : "off"} />
      )}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      <FieldError id={errorId} message={error} />
    </div>
  );
}

/** The provider's own fields; `existing` (an edit) fills the non-secret ones and marks the secrets that are set. */
export function ConfigFields({
  type,
  idPrefix,
  existing,
  credentialsSet = [],
  errorOf,
}: {
  type: ChannelTypeName;
  idPrefix: string;
  existing?: Record<string, unknown>;
  credentialsSet?: string[];
  /** The error of a form field ("config.url"), from useActionForm. */
  errorOf: (name: string) => string | undefined;
}) {
  return (
    <div className="grid gap-3 sm:grid-cols-2" data-testid="config-fields" data-type={type}>
      {PROVIDER_FIELDS[type].map((spec) => (
        <ConfigField key={`${type}-${spec.name}`} spec={spec} idPrefix={idPrefix} existing={existing} secretSet={credentialsSet.includes(spec.name)} error={errorOf(`config.${spec.name}`)} />
      ))}
    </div>
  );
}

/** Which alerts the channel takes. */
export function SeverityFields({ idPrefix, selected }: { idPrefix: string; selected?: string[] }) {
  return (
    <fieldset className="space-y-1">
      <legend className="text-sm font-medium text-slate-700">Sends</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {SEVERITY_NAMES.map((s) => (
          <label key={s} className="flex items-center gap-2 text-sm text-slate-700" htmlFor={`${idPrefix}-sev-${s}`}>
            <input id={`${idPrefix}-sev-${s}`} type="checkbox" name={`severity.${s}`} defaultChecked={selected ? selected.includes(s) : true} className="h-4 w-4 rounded border-slate-300" />
            {SEVERITY_LABELS[s]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
