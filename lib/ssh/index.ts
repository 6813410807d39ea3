/** The public entry of lib/ssh: connecting, running commands, and the errors they throw. */
export { connectSsh, fetchHostKey, type ConnectOptions, type HostKeyInfo, type SshTarget } from "./connect";
export { assertExitedZero, execChecked, type SshSession } from "./session";
export type { ExecOptions, ExecResult } from "./remote-command";
export { HostKeyMismatchError, HostKeyNotPinnedError, SshCancelledError, SshCommandFailedError, SshCommandTimeoutError, SshConnectError, SshConnectionLostError, SshError, type SshErrorDetails } from "./errors";
export { fingerprintOfKeyBlob, generateEd25519KeyPair, parsePrivateKey, type GeneratedKeyPair, type ParsedPrivateKey } from "./keys";
export { shellJoin, shellQuote } from "./quote";
export { describeHeldOpen, type HeldOpen, type HeldStreamHolder } from "./held-streams";
