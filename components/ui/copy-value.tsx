"use client";

import { useState } from "react";
import { Button, ErrorMessage } from "./form";

/** A value to paste elsewhere (a URL with a token, a secret shown once): selectable, with a Copy button that says when the browser refuses. */
export function CopyValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-1">
      <span className="text-xs font-medium text-slate-600">{label}</span>
      <div className="flex flex-wrap items-center gap-2">
        <code className="min-w-0 flex-1 break-all rounded bg-slate-50 px-2 py-1 font-mono text-xs ring-1 ring-slate-200" data-testid={testId}>
          {value}
        </code>
        <Button
          type="button"
          variant="secondary"
          aria-label={`Copy ${label.toLowerCase()}`}
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied(true);
              setError(null);
            } catch {
              setError("The browser refused clipboard access: select the text and copy it by hand.");
            }
          }}
        >
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      <ErrorMessage>{error}</ErrorMessage>
    </div>
  );
}
