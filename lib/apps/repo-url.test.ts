import { describe, expect, it } from "vitest";
import { maskRepoUrl, repoCredentialForms, repoCredentialOf, unmaskRepoUrl } from "./repo-url";

describe("repository URL credentials", () => {
  it.each([
    ["https://ci:ghp_s3cret@git.example.com/org/repo.git", "https://ci:***@git.example.com/org/repo.git", "ghp_s3cret"],
    ["https://ghp_tokenonly@github.com/org/repo", "https://***@github.com/org/repo", "ghp_tokenonly"],
    ["http://u:p%40ss@host:8080/r.git?x=1#y", "http://u:***@host:8080/r.git?x=1#y", "p%40ss"],
    ["ssh://git:pw-123@host/r.git", "ssh://git:***@host/r.git", "pw-123"],
    ["https://a:b@c@host/r", "https://a:***@host/r", "b@c"],
  ])("%s is shown as %s", (url, masked, secret) => {
    expect(repoCredentialOf(url)?.secret).toBe(secret);
    expect(maskRepoUrl(url)).toBe(masked);
    expect(maskRepoUrl(masked)).toBe(masked);
    expect(unmaskRepoUrl(masked, secret)).toBe(url);
  });

  it.each(["https://git.example.com/org/repo.git", "ssh://git@host/r.git", "git@github.com:org/repo.git", "/srv/repo.git", "file:///srv/repo.git", "https://user:@host/r", "https://host/path@not-userinfo"])(
    "%s has no credential and is unchanged",
    (url) => {
      expect(repoCredentialOf(url)).toBeNull();
      expect(maskRepoUrl(url)).toBe(url);
      expect(unmaskRepoUrl(url, "x")).toBe(url);
    },
  );

  it("masks the percent-decoded form of a credential too", () => {
    expect(repoCredentialForms("p%40ss%2Fword")).toEqual(["p%40ss%2Fword", "p@ss/word"]);
    expect(repoCredentialForms("plain")).toEqual(["plain"]);
    expect(repoCredentialForms("bad%zz")).toEqual(["bad%zz"]);
  });
});
