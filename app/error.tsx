"use client";

import { ErrorPage } from "@/components/ui/error-page";

export default function Error({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorPage error={error} retry={retry} />;
}
