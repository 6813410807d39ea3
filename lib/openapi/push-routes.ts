import { createDeployHookAction, deleteDeployHookAction, saveWebhookAction } from "../actions/push";
import type { JsonSchema } from "./json-schema";
import type { ApiRoute } from "./routes";

const hookAnswer: JsonSchema = {
  oneOf: [
    { type: "object", properties: { deployId: { type: "string", description: "The deploy it queued" } }, required: ["deployId"] },
    { type: "object", properties: { ignored: { type: "string", description: "Why nothing was deployed (another branch, a ping, a commit that is no longer the head)" } }, required: ["ignored"] },
  ],
};

/** Push to deploy: the webhook and deploy hooks an admin makes, and the two open URLs they give. Listed in API_ROUTES. */
export const PUSH_ROUTES: ApiRoute[] = [
  {
    method: "post",
    path: "/api/v1/apps/{appId}/webhook",
    summary: "Create or rotate the app's push webhook",
    description:
      "Exactly one of `branch` (a push to it deploys) and `tagPattern` (a pushed tag matching the glob deploys, `*` and `?`). `environment` names the app environment it deploys to (default production). The answer's `secret` is shown once: give it and the `url` to GitHub, GitLab, Gitea/Forgejo or your own sender (README, Push to deploy). Calling it again replaces the settings and rotates the secret; the old one stops working at once.",
    tag: "Deploys",
    definition: saveWebhookAction,
    success: {
      status: 201,
      description: "The webhook URL and its secret (shown once)",
      schema: {
        type: "object",
        properties: { url: { type: "string" }, secret: { type: "string" }, branch: { type: ["string", "null"] }, tagPattern: { type: ["string", "null"] }, environment: { type: "string" }, rotated: { type: "boolean" } },
        required: ["url", "secret", "branch", "tagPattern", "environment", "rotated"],
      },
    },
    example: { path: { appId: "APP_ID" }, body: { branch: "main", environment: "production" } },
  },
  {
    method: "post",
    path: "/api/v1/apps/{appId}/deploy-hooks",
    summary: "Create a deploy hook",
    description: "A URL with a secret token in its path: a POST to it deploys `ref` (resolved when the deploy runs), for CI systems without webhooks. The `url` is shown once (only a hash of its token is kept).",
    tag: "Deploys",
    definition: createDeployHookAction,
    success: {
      status: 201,
      description: "The deploy hook and its URL (shown once)",
      schema: { type: "object", properties: { id: { type: "string" }, name: { type: "string" }, ref: { type: "string" }, environment: { type: "string" }, url: { type: "string" } }, required: ["id", "name", "ref", "environment", "url"] },
    },
    conflict: "The app has a deploy hook with that name",
    example: { path: { appId: "APP_ID" }, body: { name: "ci", ref: "main", environment: "production" } },
  },
  {
    method: "delete",
    path: "/api/v1/apps/{appId}/deploy-hooks/{hookId}",
    summary: "Remove a deploy hook",
    description: "Its URL stops working at once.",
    tag: "Deploys",
    definition: deleteDeployHookAction,
    success: { status: 204, description: "Removed" },
    example: { path: { appId: "APP_ID", hookId: "HOOK_ID" } },
  },
  {
    method: "post",
    path: "/api/hooks/apps/{appId}/push",
    summary: "A provider's push delivery (the webhook URL)",
    description:
      'Called by the Git host, not by people: no token. Authenticated by its signature — GitHub `X-Hub-Signature-256`, Gitea/Forgejo `X-Gitea-Signature`, GitLab `X-Gitlab-Token`, or the generic `X-Deckhand-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with `X-Deckhand-Timestamp` (Unix seconds; more than 5 minutes off is refused) — and a delivery id (`X-GitHub-Delivery`, `X-Gitea-Delivery`, `X-Gitlab-Event-UUID`, `X-Deckhand-Delivery`) seen only once. A push to the configured branch (or a matching tag) deploys the exact commit in the payload (`after`, GitLab `checkout_sha`) if it is still that ref\'s head on the remote.',
    tag: "Deploys",
    definition: null,
    operationId: "hook.push",
    openBody: { type: "object", description: "The provider's push payload: `ref` (refs/heads/… or refs/tags/…) and `after` (the new commit)", properties: { ref: { type: "string" }, after: { type: "string" } } },
    success: { status: 202, description: "A deploy queued (`deployId`), or nothing to do (`ignored` says why)", schema: hookAnswer },
    other: [
      { status: 400, description: "No delivery id, or a body that is not JSON" },
      { status: 401, description: "No signature, or one that does not match the app's secret (or a stale generic timestamp)" },
      { status: 404, description: "The app has no webhook" },
      { status: 409, description: "A replayed delivery (its id was seen), or the app is busy with a running deploy (a redelivery is let in)" },
      { status: 502, description: "The repository could not be asked for the ref's head" },
    ],
  },
  {
    method: "post",
    path: "/api/hooks/deploy/{token}",
    summary: "Trigger a deploy hook",
    description: "The secret token in the path is the authentication (`curl -X POST <url>`); a body is not read. Deploys the hook's ref.",
    tag: "Deploys",
    definition: null,
    operationId: "hook.deploy",
    success: { status: 202, description: "The deploy it queued", schema: { type: "object", properties: { deployId: { type: "string" } }, required: ["deployId"] } },
    other: [
      { status: 404, description: "No deploy hook has that token" },
      { status: 409, description: "The app is locked by a deploy in progress" },
    ],
  },
];
