import { deleteServerAction, updateServerAction } from "../actions/servers";
import { createTokenAction, createUserAction, deleteUserAction, revokeTokenAction, updateUserAction } from "../actions/users";
import { listTokensRead, listUsersRead } from "../actions/reads";
import type { JsonSchema } from "./json-schema";
import type { ApiRoute } from "./routes";

const dateTime = { type: "string", format: "date-time" };
const dateTimeOrNull = { type: ["string", "null"], format: "date-time" };
const role = { enum: ["viewer", "deployer", "admin"] };

const userSchema: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    email: { type: "string" },
    name: { type: ["string", "null"] },
    role,
    disabled: { type: "boolean" },
    createdAt: dateTime,
    twoFactor: { type: "boolean" },
    lockedUntil: dateTimeOrNull,
  },
  required: ["id", "email", "name", "role", "disabled", "createdAt", "twoFactor", "lockedUntil"],
};

const tokenSchema: JsonSchema = {
  type: "object",
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    role,
    prefix: { type: "string", description: "The first characters of the token, to recognise it" },
    createdAt: dateTime,
    expiresAt: dateTimeOrNull,
    lastUsedAt: dateTimeOrNull,
    lastUsedIp: { type: ["string", "null"] },
    revokedAt: dateTimeOrNull,
    createdByUser: { type: "boolean" },
    createdBy: { type: ["string", "null"], description: "The email of the user who made it; null for a CLI token or a deleted creator" },
  },
  required: ["id", "name", "role", "prefix", "createdAt", "expiresAt", "lastUsedAt", "revokedAt", "createdBy"],
};

/** Editing and removing servers, and users and API tokens. Listed in API_ROUTES. */
export const MANAGE_ROUTES: ApiRoute[] = [
  {
    method: "patch",
    path: "/api/v1/servers/{serverId}",
    summary: "Change a server",
    description:
      "Any subset of `name`, `host`, `port`, `username`. `privateKey` (paste) or `generateKey: true` rotates the SSH key: the answer has the new `publicKey` to install in `authorized_keys`, and the old key is forgotten. A new `host` or `port` clears the pinned host key (`pinCleared: true`): verify and pin it again before the next deploy.",
    tag: "Servers",
    definition: updateServerAction,
    success: {
      status: 200,
      description: "The server after the change; `publicKey` only when the key was rotated",
      schema: { allOf: [{ $ref: "#/components/schemas/Server" }, { type: "object", properties: { keyRotated: { type: "boolean" }, pinCleared: { type: "boolean" } }, required: ["keyRotated", "pinCleared"] }] },
    },
    conflict: "Another server has that name",
    example: { path: { serverId: "SERVER_ID" }, body: { host: "203.0.113.11", generateKey: true } },
  },
  {
    method: "delete",
    path: "/api/v1/servers/{serverId}",
    summary: "Remove a server",
    description: "Its monitors and its SSH key go with it. Refused while an app deploys to it.",
    tag: "Servers",
    definition: deleteServerAction,
    success: { status: 204, description: "Removed" },
    conflict: "An app targets the server: the message names every such app (remove the server from them first)",
    example: { path: { serverId: "SERVER_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/users",
    summary: "List users",
    tag: "Users",
    definition: listUsersRead,
    success: { status: 200, description: "Users, oldest first", schema: { type: "array", items: userSchema } },
  },
  {
    method: "post",
    path: "/api/v1/users",
    summary: "Add a user",
    description: "`role` is viewer (the default), deployer or admin. The password is the initial one; they change it on their account page.",
    tag: "Users",
    definition: createUserAction,
    success: { status: 201, description: "The user", schema: { type: "object", properties: { id: { type: "string" }, email: { type: "string" } }, required: ["id", "email"] } },
    conflict: "A user with that email exists",
    example: { body: { email: "dev@example.com", name: "Dev", password: "a long initial password", role: "deployer" } },
  },
  {
    method: "patch",
    path: "/api/v1/users/{userId}",
    summary: "Change a user",
    description: "Any subset of `name`, `role`, `disabled`, `password`. A change of role, access or password ends the user's sessions. The last enabled admin cannot be demoted or disabled, and nobody disables themself.",
    tag: "Users",
    definition: updateUserAction,
    success: {
      status: 200,
      description: "The user after the change",
      schema: { type: "object", properties: { id: { type: "string" }, email: { type: "string" }, name: { type: ["string", "null"] }, role, disabled: { type: "boolean" } }, required: ["id", "email", "name", "role", "disabled"] },
    },
    conflict: "The change would leave no enabled admin",
    example: { path: { userId: "USER_ID" }, body: { role: "deployer" } },
  },
  {
    method: "delete",
    path: "/api/v1/users/{userId}",
    summary: "Delete a user",
    description: "Their sessions end and the tokens they made are revoked. Their audit history stays, attributed to their email as it was recorded; the hash chain is untouched. Nobody deletes themself.",
    tag: "Users",
    definition: deleteUserAction,
    success: { status: 204, description: "Deleted" },
    conflict: "They are the last enabled admin",
    example: { path: { userId: "USER_ID" } },
  },
  {
    method: "get",
    path: "/api/v1/tokens",
    summary: "List API tokens",
    description: "Every token by its prefix, revoked and expired ones included. A token's secret is never shown again after it is created.",
    tag: "Users",
    definition: listTokensRead,
    success: { status: 200, description: "Tokens, newest first", schema: { type: "array", items: tokenSchema } },
  },
  {
    method: "post",
    path: "/api/v1/tokens",
    summary: "Create an API token",
    description: "`expiresInDays` is 1–3650, or null for no expiry. The answer's `token` is the secret, shown this once: only its hash is stored.",
    tag: "Users",
    definition: createTokenAction,
    success: {
      status: 201,
      description: "The token, with its secret",
      schema: {
        type: "object",
        properties: { id: { type: "string" }, name: { type: "string" }, role, prefix: { type: "string" }, token: { type: "string" }, createdAt: dateTime, expiresAt: dateTimeOrNull },
        required: ["id", "name", "role", "prefix", "token", "createdAt", "expiresAt"],
      },
    },
    example: { body: { name: "ci", role: "deployer", expiresInDays: 90 } },
  },
  {
    method: "delete",
    path: "/api/v1/tokens/{tokenId}",
    summary: "Revoke an API token",
    description: "Refused from the next request on; the token stays listed as revoked.",
    tag: "Users",
    definition: revokeTokenAction,
    success: { status: 204, description: "Revoked" },
    example: { path: { tokenId: "TOKEN_ID" } },
  },
];
