"use client";

import { useState, type ButtonHTMLAttributes, type ReactNode } from "react";
import { useHydrated } from "../use-hydrated";
import { ConfirmDialog } from "./confirm-dialog";
import { Button, type ButtonVariant } from "./form";

/**
 * A button whose action is asked about first (ConfirmDialog): the button opens the dialog, the dialog's own
 * button runs `onConfirm(close)`, which closes it once the action succeeded. A refused action's error is shown
 * inside the dialog, next to the button that caused it; opening the dialog again starts without it. Until the
 * page is hydrated the button is disabled: a click then would do nothing, and nothing would say so.
 */
export function ConfirmButton({
  title,
  description,
  confirmLabel,
  pending,
  error,
  onOpen,
  onConfirm,
  variant = "danger",
  children,
  ...button
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, "onClick" | "title"> & {
  title: string;
  description?: ReactNode;
  confirmLabel: string;
  pending?: boolean;
  error?: string | null;
  /** Called as the dialog opens (to clear a previous error). */
  onOpen?(): void;
  onConfirm(close: () => void): void;
  variant?: ButtonVariant;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const hydrated = useHydrated();
  const close = () => setOpen(false);
  return (
    <>
      <Button
        type="button"
        variant={variant}
        {...button}
        disabled={!hydrated || button.disabled}
        onClick={() => {
          onOpen?.();
          setOpen(true);
        }}
      >
        {children}
      </Button>
      {/* Mounted only while asked: a closed dialog's title and text stay out of the page (and of its labels). */}
      {open ? (
        <ConfirmDialog open title={title} confirmLabel={confirmLabel} pending={pending} error={error} onCancel={close} onConfirm={() => onConfirm(close)}>
          {description}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
