import type { TagView } from "@/lib/openapi/reference";
import { cardClass } from "../ui/card";

/** Every route by tag, each a link to its card further down the page. */
export function RouteIndex({ tags }: { tags: TagView[] }) {
  return (
    <nav aria-label="Routes" className={cardClass("md", "mb-8 grid gap-4 text-sm sm:grid-cols-2 lg:grid-cols-3")}>
      {tags.map((t) => (
        <div key={t.name}>
          <p className="font-semibold">{t.name}</p>
          <ul className="mt-1 space-y-0.5">
            {t.operations.map((op) => (
              <li key={op.anchor}>
                <a href={`#${op.anchor}`} className="break-all text-indigo-700 hover:underline">
                  <span className="mr-1 font-mono text-xs">{op.method}</span>
                  {op.path.replace("/api/v1", "")}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
