import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { withRequestLog } from "@/lib/actions/api";

const handler = withRequestLog((req, ctx) => NextAuth(req as never, ctx as never, authOptions()) as Promise<Response>);

export { handler as GET, handler as POST };
