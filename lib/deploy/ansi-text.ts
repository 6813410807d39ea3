import Anser from "anser";

/** Escape sequences that are not colours (window titles, cursor moves, line erases). */
const NON_SGR = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b\[[0-9;?]*[A-Za-ln-z]|\x1b[()][A-Za-z0-9]|\x1b[=>78]/g;
/** Control characters other than tab, newline, carriage return (and ESC, which anser reads). */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g;

/** A log as plain text: every terminal escape sequence removed (the log download's default). */
export function stripAnsi(text: string): string {
  return Anser.ansiToText(text.replace(NON_SGR, "")).replace(CONTROL, "");
}
