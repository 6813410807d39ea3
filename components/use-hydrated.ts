"use client";

import { useSyncExternalStore } from "react";

const subscribeNever = () => () => undefined;
const onClient = () => true;
const onServer = () => false;

/**
 * False on the server and while the server's HTML is hydrated, true in every client render after: for what
 * the server cannot know (the stored theme, the viewer's time zone) and for buttons that do nothing until
 * their handler is attached.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(subscribeNever, onClient, onServer);
}
